using System.Text.RegularExpressions;
using TasmoGuardian.Testing;

namespace TasmoGuardian.Tests.AddOn;

/// <summary>
/// The folder rules of docs/architecture.md, read from the source: folders depend one way (no cycle), only the
/// composition root (Program.cs and Hosting/) uses everything and nothing uses it, and the MQTT library knows nothing
/// of the add-on. A "use" is a using directive or a qualified name such as <c>TasmoGuardian.Storage.Database</c>.
/// </summary>
public sealed partial class LayeringTests
{
    private static readonly string Source = Path.Combine(GuardianProcess.RepositoryRoot(), "src");

    [Fact]
    public void Folders_DependOneWay_WithoutACycle()
    {
        var graph = FolderGraph();
        var cycle = FindCycle(graph);
        Assert.True(cycle is null, $"folders use each other in a cycle: {string.Join(" → ", cycle ?? [])}\n{Describe(graph)}");
    }

    [Fact]
    public void NothingButTheCompositionRoot_UsesHosting()
    {
        var users = FolderGraph().Where(kv => kv.Key != "Hosting" && kv.Key != "(root)" && kv.Value.Contains("Hosting")).Select(kv => kv.Key).ToList();
        Assert.Empty(users);
    }

    [Fact]
    public void TheRootFolder_HoldsOnlyTheCompositionRoot_AndNothingUsesIt()
    {
        var app = Path.Combine(Source, "TasmoGuardian");
        var rootFiles = Directory.EnumerateFiles(app, "*.cs").Select(Path.GetFileName).ToList();
        Assert.Equal(["Program.cs"], rootFiles);

        // Every other file lives in a folder, in that folder's namespace, so the folder graph above sees all uses.
        var stray = Files(app)
            .Where(f => Path.GetFileName(f) != "Program.cs")
            .Where(f => !File.ReadAllText(f).Contains($"namespace TasmoGuardian.{Path.GetRelativePath(app, f).Split(Path.DirectorySeparatorChar)[0]}", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(app, f))
            .ToList();
        Assert.Empty(stray);
        var users = Files(app)
            .Where(f => !Path.GetRelativePath(app, f).StartsWith("Hosting", StringComparison.Ordinal) && Path.GetFileName(f) != "Program.cs")
            .Where(f => ProgramUse().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(app, f))
            .ToList();
        Assert.Empty(users);
    }

    [Fact]
    public void TheMqttLibrary_UsesNothingOfTheAddOn()
    {
        var offenders = Files(Path.Combine(Source, "TasmoGuardian.Mqtt"))
            .Where(f => Uses(File.ReadAllText(f)).Any())
            .Select(f => Path.GetRelativePath(Source, f))
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Kinds_AreReachedOnlyThroughTheirShape_ByTheWorkerTheStoreAndHomeAssistant()
    {
        // A kind's own folder (Kinds/Tasmota, Kinds/Wled, …) is named by the composition root only.
        var app = Path.Combine(Source, "TasmoGuardian");
        var offenders = Files(app)
            .Where(f => !Path.GetRelativePath(app, f).StartsWith("Kinds", StringComparison.Ordinal)
                && !Path.GetRelativePath(app, f).StartsWith("Hosting", StringComparison.Ordinal))
            .Where(f => KindFolderUse().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(app, f))
            .ToList();
        Assert.Empty(offenders);
    }

    private static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    private static IEnumerable<string> Uses(string text) =>
        AddOnName().Matches(text).Select(m => m.Groups["folder"].Value).Where(f => f != "Mqtt" && f != "Tests" && f != "Testing");

    private static Dictionary<string, HashSet<string>> FolderGraph()
    {
        var app = Path.Combine(Source, "TasmoGuardian");
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in Files(app))
        {
            var relative = Path.GetRelativePath(app, file);
            var folder = relative.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) ? relative.Split(Path.DirectorySeparatorChar)[0] : "(root)";
            var uses = graph.TryGetValue(folder, out var set) ? set : graph[folder] = [];
            foreach (var used in Uses(File.ReadAllText(file)).Where(u => u != folder))
            {
                uses.Add(used);
            }
        }

        return graph;
    }

    private static List<string>? FindCycle(Dictionary<string, HashSet<string>> graph)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();

        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? [])
            {
                // The root (Program.cs) and Hosting are the composition root: they may use all, and are used by none.
                if (next is "(root)")
                {
                    continue;
                }

                if (state.GetValueOrDefault(next) == 1)
                {
                    return [.. path.SkipWhile(p => p != next), next];
                }

                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found)
                {
                    return found;
                }
            }

            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }

        foreach (var node in graph.Keys)
        {
            if (state.GetValueOrDefault(node) == 0 && Visit(node) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }

    private static string Describe(Dictionary<string, HashSet<string>> graph) =>
        string.Join("\n", graph.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} → {string.Join(", ", kv.Value.Order(StringComparer.Ordinal))}"));

    [GeneratedRegex(@"\bTasmoGuardian\.(?<folder>[A-Z][A-Za-z]+)\b")]
    private static partial Regex AddOnName();

    [GeneratedRegex(@"\bProgram\.[A-Z]")]
    private static partial Regex ProgramUse();

    [GeneratedRegex(@"\bTasmoGuardian\.Kinds\.[A-Z]")]
    private static partial Regex KindFolderUse();
}
