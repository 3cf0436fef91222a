namespace TasmoGuardian.Tests.Drills;

/// <summary>
/// The drills run alone, after the parallel tests: the fuzz drill bounds this process's memory growth, which other
/// tests allocating at the same time would otherwise count against it, and the timing drills want quiet cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DrillCollection
{
    public const string Name = "Fault drills";
}
