using System.Globalization;
using TasmoGuardian.Demo;

// ./run-local.sh --demo starts this, then the add-on with the options it writes.
var broker = Argument("--broker") ?? "127.0.0.1:1883";
var folder = Path.GetFullPath(Argument("--folder") ?? ".local/demo");
var host = broker[..broker.LastIndexOf(':')];
var port = int.Parse(broker[(broker.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);

Directory.CreateDirectory(folder);
await using var fleet = await DemoFleet.StartAsync(host, port);
var options = Path.Combine(folder, "options.json");
await File.WriteAllTextAsync(options + ".tmp", fleet.Options(host, port, folder));
File.Move(options + ".tmp", options, overwrite: true);

Console.WriteLine($$"""
    Simulated devices are answering on 127.0.0.1 ({{fleet.Devices.Count}}, every kind Tasmo Guardian knows):
    {{string.Join("\n", fleet.Devices.Select(d => $"  {d["name"],-18} {d["type"],-15} http://{d["host"]}/"))}}
    Options for Tasmo Guardian: {{options}}

    Try it (in another terminal):
      watch everything:    mosquitto_sub -h {{host}} -p {{port}} -v -t 'tasmo_guardian/#'
      back up every device: mosquitto_pub -h {{host}} -p {{port}} -t tasmo_guardian/hub/backup_all -m PRESS
      restore one:          mosquitto_pub -h {{host}} -p {{port}} -t tasmo_guardian/cmnd/restore -m '{"device":"Kitchen plug","backup":"latest"}'
      the files:            ls -R {{Path.Combine(folder, "backups")}}
    """);

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

string? Argument(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
