using System.Net;

namespace TasmoGuardian.Testing;

/// <summary>A WLED device's web server: <c>/json/info</c>, <c>/cfg.json</c> and optionally <c>/presets.json</c>.</summary>
public sealed class FakeWled : IAsyncDisposable
{
    private readonly FakeHttpServer _server;

    private FakeWled(string mac, IPAddress address, int port)
    {
        Mac = mac;
        _server = new FakeHttpServer(address, port, HandleAsync);
    }

    public string Mac { get; }

    public string Name { get; set; } = "Desk strip";

    public string Host => _server.HostAndPort;

    public byte[] Config { get; set; } = """{"rev":[1,0],"vid":2405180,"id":{"mdns":"wled-desk","name":"Desk strip","inv":"Light"},"nw":{"ins":[{"ssid":"home","pskl":8}]}}"""u8.ToArray();

    /// <summary>Null: the device has no presets.json and answers 404.</summary>
    public byte[]? Presets { get; set; } = """{"0":{},"1":{"n":"Evening","bri":80}}"""u8.ToArray();

    public static FakeWled Start(int port = 80)
    {
        var mac = $"c8c9a3{Random.Shared.Next(0x100000, 0xFFFFFF):x6}";
        return new FakeWled(mac, port == 80 ? LoopbackAddresses.Next() : IPAddress.Loopback, port);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private Task HandleAsync(FakeHttpExchange exchange) => exchange.Request.Path switch
    {
        "/json/info" => exchange.RespondAsync(200, "application/json", $$"""{"ver":"0.15.0-b3","vid":2405180,"name":"{{Name}}","arch":"esp32","brand":"WLED","product":"FOSS","mac":"{{Mac}}","ip":"{{_server.EndPoint.Address}}"}"""),
        "/cfg.json" => exchange.RespondAsync(200, "application/json", Config),
        "/presets.json" when Presets is not null => exchange.RespondAsync(200, "application/json", Presets),
        _ => exchange.RespondAsync(404, "text/plain", "Not Found"),
    };
}
