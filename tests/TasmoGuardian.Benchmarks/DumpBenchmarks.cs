using BenchmarkDotNet.Attributes;
using TasmoGuardian.Kinds.Tasmota;
using TasmoGuardian.Testing;

namespace TasmoGuardian.Benchmarks;

/// <summary>The hot pure part of a Tasmota backup: validating a dump.</summary>
[MemoryDiagnoser]
public class DumpBenchmarks
{
    private readonly byte[] _dump = TasmotaDumpBuilder.Build();

    [Benchmark]
    public bool ValidateDump() => TasmotaDump.Validate(_dump).IsValid;
}
