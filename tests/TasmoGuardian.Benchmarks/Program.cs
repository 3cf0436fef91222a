using BenchmarkDotNet.Running;
using TasmoGuardian.Benchmarks;

// dotnet run -c Release --project tests/TasmoGuardian.Benchmarks -- publish [count]
// dotnet run -c Release --project tests/TasmoGuardian.Benchmarks -- fleet [devices...] [--delay-ms 50]
// dotnet run -c Release --project tests/TasmoGuardian.Benchmarks -- micro [BenchmarkDotNet arguments]
var mode = args.FirstOrDefault() ?? "help";
var rest = args.Skip(1).ToArray();
switch (mode)
{
    case "publish":
        await PublishBenchmark.RunAsync(rest);
        break;
    case "mixed":
        await MixedFleetBenchmark.RunAsync(rest);
        break;
    case "fleet":
        await FleetBenchmark.RunAsync(rest);
        break;
    case "micro":
        BenchmarkSwitcher.FromAssembly(typeof(DumpBenchmarks).Assembly).Run(rest);
        break;
    default:
        Console.WriteLine("Modes: publish [count] | fleet [N ...] [--delay-ms D] [--program PATH] | mixed [N] [--delay-ms D] [--program PATH] | micro [BenchmarkDotNet args]");
        break;
}
