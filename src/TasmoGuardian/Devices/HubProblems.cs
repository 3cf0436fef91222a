using System.Collections.Concurrent;

namespace TasmoGuardian.Devices;

/// <summary>
/// The problems the hub shows that belong to no one device's backups: each source (start-up repair, the identifier of
/// configured devices, the registry) sets and clears its own, and the Home Assistant publisher shows them all.
/// </summary>
internal sealed class HubProblems
{
    private readonly ConcurrentDictionary<(HubProblemKind Kind, string Subject), HubProblem> _problems = new();

    /// <summary>After a problem was set, changed or cleared.</summary>
    public event EventHandler? Changed;

    public IReadOnlyList<HubProblem> Snapshot() =>
        [.. _problems.Values.OrderBy(p => p.Kind).ThenBy(p => p.Subject, StringComparer.OrdinalIgnoreCase)];

    public HubProblem? Find(HubProblemKind kind, string subject) => _problems.GetValueOrDefault((kind, subject));

    /// <returns>True when it is new or its reason changed (and listeners were told).</returns>
    public bool Set(HubProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var key = (problem.Kind, problem.Subject);
        if (_problems.TryGetValue(key, out var current) && current == problem)
        {
            return false;
        }

        _problems[key] = problem;
        Changed?.Invoke(this, EventArgs.Empty);
        return true;
    }

    /// <returns>True when there was one to clear.</returns>
    public bool Clear(HubProblemKind kind, string subject)
    {
        if (!_problems.TryRemove((kind, subject), out _))
        {
            return false;
        }

        Changed?.Invoke(this, EventArgs.Empty);
        return true;
    }
}
