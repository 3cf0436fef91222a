using System.Text.Json;
using System.Text.RegularExpressions;
using TasmoGuardian.Configuration;
using TasmoGuardian.Testing;
using YamlDotNet.RepresentationModel;

namespace TasmoGuardian.Tests.AddOn;

/// <summary>
/// config.yaml against the Supervisor's add-on rules (research/home-assistant.md §3: required keys, slug, arches,
/// the options/schema grammar) and against the program: same option names, same defaults, a translation for each.
/// </summary>
public sealed partial class ConfigYamlTests
{
    private static readonly string Root = GuardianProcess.RepositoryRoot();
    private static readonly YamlMappingNode Config = Load("config.yaml");

    // Keys whose default the Supervisor already applies; writing them is a linter error.
    private static readonly Dictionary<string, string> SupervisorDefaults = new()
    {
        ["startup"] = "application",
        ["boot"] = "auto",
        ["init"] = "true",
        ["ingress"] = "false",
        ["ingress_port"] = "8099",
        ["host_network"] = "false",
        ["hassio_api"] = "false",
        ["homeassistant_api"] = "false",
        ["stdin"] = "false",
        ["timeout"] = "10",
        ["backup"] = "hot",
        ["panel_icon"] = "mdi:puzzle",
    };

    [Fact]
    public void Config_HasTheRequiredKeys_AndValidValues()
    {
        foreach (var key in new[] { "name", "version", "slug", "description", "arch" })
        {
            Assert.True(Config.Children.ContainsKey(key), $"config.yaml lacks {key}");
        }

        Assert.Matches("^[-_.A-Za-z0-9]+$", Scalar(Config, "slug"));
        Assert.Equal("tasmo_guardian", Scalar(Config, "slug"));
        Assert.Equal(["amd64", "aarch64"], Sequence(Config, "arch").Select(n => ((YamlScalarNode)n).Value));
        Assert.Equal("false", Scalar(Config, "init"));
        Assert.Equal(["mqtt:need"], Sequence(Config, "services").Select(n => ((YamlScalarNode)n).Value));
        Assert.StartsWith("https://", Scalar(Config, "url"), StringComparison.Ordinal);
        Assert.False(Config.Children.ContainsKey("watchdog"), "watchdog is obsolete: the image has a HEALTHCHECK");
        Assert.False(Config.Children.ContainsKey("build_from"));
    }

    [Fact]
    public void Config_SetsNoKeyToItsDefault()
    {
        foreach (var (key, value) in SupervisorDefaults)
        {
            if (Config.Children.TryGetValue(key, out var node))
            {
                Assert.NotEqual(value, ((YamlScalarNode)node).Value);
            }
        }
    }

    [Fact]
    public void Config_MapsShareWritable_AndNothingItDoesNotUse()
    {
        var maps = Sequence(Config, "map").Cast<YamlMappingNode>().ToDictionary(m => Scalar(m, "type"));

        // /share for the backups; no app_config: the program reads nothing there.
        Assert.Equal(["share"], maps.Keys);
        Assert.Equal("false", Scalar(maps["share"], "read_only"));
        Assert.StartsWith("/share/", Scalar((YamlMappingNode)Config["options"], "backup_dir"), StringComparison.Ordinal);
    }

    [Fact]
    public void Config_PassesTheAddOnLintersSchema()
    {
        // The linter's own schema (tests/fixtures/homeassistant); its one Python-style group syntax read as .NET's.
        var schemaText = Read("tests/fixtures/homeassistant/addon-linter-config.schema.json").Replace("(?P<", "(?<", StringComparison.Ordinal);
        var schema = global::Json.Schema.JsonSchema.FromText(schemaText);
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(ToPlain(Config)));
        var config = document.RootElement;

        var result = schema.Evaluate(config, new global::Json.Schema.EvaluationOptions { OutputFormat = global::Json.Schema.OutputFormat.List });

        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }

    [Fact]
    public void Config_IsExperimentalUntil1_0_AndNeedsAHomeAssistantThatKnowsDefaultEntityId()
    {
        Assert.Equal("experimental", Scalar(Config, "stage"));
        Assert.Equal("2025.10.0", Scalar(Config, "homeassistant"));
    }

    [Fact]
    public void Options_ShowThePasswordAndTheLogLevel_WithoutTheUnusedOptionsSwitch()
    {
        var options = (YamlMappingNode)Config["options"];

        Assert.Equal(string.Empty, Scalar(options, "tasmota_password"));
        Assert.Equal("info", Scalar(options, "log_level"));
    }

    [Fact]
    public void AppArmorProfile_IsNamedAfterTheSlug_AndConfinesTheProgram()
    {
        var profile = Read("apparmor.txt");

        Assert.Matches(@"(?m)^profile tasmo_guardian flags=\(attach_disconnected,mediate_deleted\) \{", profile);
        Assert.Contains("/opt/tasmo_guardian/TasmoGuardian cx -> tasmo_guardian_program,", profile, StringComparison.Ordinal);
        var program = profile[profile.IndexOf("profile tasmo_guardian_program", StringComparison.Ordinal)..];
        foreach (var rule in new[] { "/data/** rwk,", "/share/** rwk,", "/tmp/** rwk,", "network inet stream,", "/opt/tasmo_guardian/** mr," })
        {
            Assert.Contains(rule, program, StringComparison.Ordinal);
        }

        // Nothing beyond what it needs: no blanket file access, no capabilities, no other programs.
        Assert.DoesNotContain("\n    file,", program, StringComparison.Ordinal);
        Assert.DoesNotContain("capability", program, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"/bin/\S+ [a-z]*x", program);
        Assert.Equal(profile.Count(c => c == '{'), profile.Count(c => c == '}'));
    }

    [Fact]
    public void Blueprint_NotifiesWhenTheHubsProblemSensorTurnsOn_NotOnARestart()
    {
        var blueprint = Load("blueprints/backup_problem_notify.yaml");
        var metadata = (YamlMappingNode)blueprint["blueprint"];
        Assert.Equal("automation", Scalar(metadata, "domain"));
        Assert.Equal("binary_sensor.tasmo_guardian_problem", Scalar((YamlMappingNode)metadata["input"]["problem_sensor"], "default"));

        var trigger = (YamlMappingNode)Sequence(blueprint, "triggers").Single();
        Assert.Equal(("state", "on"), (Scalar(trigger, "trigger"), Scalar(trigger, "to")));
        Assert.Equal(["unavailable", "unknown"], Sequence(trigger, "not_from").Select(n => ((YamlScalarNode)n).Value));
        Assert.Contains("state_attr(sensor, 'devices')", Read("blueprints/backup_problem_notify.yaml"), StringComparison.Ordinal);
    }

    [Fact]
    public void Docs_Automations_DoNotFireOnARestart()
    {
        // Every automation in DOCS.md that triggers on a state also ignores the restart's unavailable and unknown.
        var docs = Read("addon/DOCS.md");
        var stateTriggers = Regex.Matches(docs, @"- trigger: state\n(?:\s{4,}[^\n]*\n)+");
        Assert.NotEmpty(stateTriggers);
        Assert.All(stateTriggers, m => Assert.Contains("not_from:", m.Value, StringComparison.Ordinal));
    }

    [Fact]
    public void Version_IsTheProgramsVersion_EverywhereItIsWritten()
    {
        var version = Scalar(Config, "version");

        Assert.Equal(GuardianInfo.Version, version);
        Assert.Contains($"## [{version}]", Read("CHANGELOG.md"), StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_FollowsTheSupervisorsGrammar()
    {
        var schema = (YamlMappingNode)Config["schema"];
        foreach (var (key, node) in schema.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            if (node is YamlSequenceNode list)
            {
                // A list of dicts: one mapping describing an entry, each of its values a plain type.
                var entry = Assert.IsType<YamlMappingNode>(Assert.Single(list.Children));
                foreach (var (field, type) in entry.Children)
                {
                    Assert.Matches(TypePattern(), ((YamlScalarNode)type).Value!);
                    Assert.DoesNotContain(' ', ((YamlScalarNode)field).Value!);
                }
            }
            else
            {
                Assert.Matches(TypePattern(), ((YamlScalarNode)node).Value!);
            }

            Assert.Matches("^[a-z_]+$", name);
        }
    }

    [Fact]
    public void Schema_NamesExactlyTheProgramsOptions()
    {
        var names = ((YamlMappingNode)Config["schema"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList();

        Assert.Equal(GuardianOptions.Keys, names);
        var entry = (YamlMappingNode)((YamlSequenceNode)Config["schema"]["devices"]).Children[0];
        Assert.Equal(["host", "type", "name", "username", "password"], entry.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
    }

    [Fact]
    public void EveryOption_HasADefaultOrIsOptional()
    {
        var schema = (YamlMappingNode)Config["schema"];
        var options = (YamlMappingNode)Config["options"];
        foreach (var (key, node) in schema.Children)
        {
            var optional = node is YamlScalarNode scalar && scalar.Value!.EndsWith('?');
            var name = ((YamlScalarNode)key).Value!;
            Assert.True(optional || options.Children.ContainsKey(name), $"{name} has neither a default nor a '?'");
        }

        Assert.All(options.Children.Keys, k => Assert.True(schema.Children.ContainsKey(k), $"option {k} is not in the schema"));
    }

    [Fact]
    public void Defaults_AreTheProgramsDefaults()
    {
        // The Supervisor writes the options block as options.json; the program must read it as its own defaults.
        var json = JsonSerializer.Serialize(ToPlain(Config["options"]));
        var (fromYaml, warnings) = OptionsLoader.Parse(System.Text.Encoding.UTF8.GetBytes(json), "config.yaml");
        var program = new GuardianOptions();

        Assert.Empty(warnings);
        Assert.Equal(program.ToString(), fromYaml.ToString());
    }

    [Fact]
    public void EveryOption_HasATranslation()
    {
        var configuration = (YamlMappingNode)Load("translations/en.yaml")["configuration"];
        foreach (var key in GuardianOptions.Keys)
        {
            var entry = Assert.IsType<YamlMappingNode>(configuration[key]);
            Assert.False(string.IsNullOrWhiteSpace(Scalar(entry, "name")), key);
            Assert.False(string.IsNullOrWhiteSpace(Scalar(entry, "description")), key);
        }

        var fields = (YamlMappingNode)configuration["devices"]["fields"];
        foreach (var field in new[] { "host", "type", "name", "username", "password" })
        {
            Assert.False(string.IsNullOrWhiteSpace(Scalar((YamlMappingNode)fields[field], "description")), field);
        }
    }

    [Fact]
    public void AddOnFolder_HasItsFiles_WhereTheSupervisorLooks()
    {
        foreach (var file in new[] { "DOCS.md", "icon.png", "logo.png", "translations/en.yaml", "CHANGELOG.md", "README.md", "repository.yaml", "Dockerfile" })
        {
            Assert.True(File.Exists(Path.Combine(Root, file)), $"{file} is missing at the repository root");
        }

        Assert.Equal((128, 128), PngSize("icon.png"));
        var logo = PngSize("logo.png");
        Assert.InRange(logo.Width, 200, 300);
        Assert.InRange(logo.Height, 80, 120);
        Assert.False(string.IsNullOrWhiteSpace(Scalar(Load("repository.yaml"), "name")));
    }

    [Fact]
    public void Dockerfile_RunsTheSamePublishAsCi_OnHomeAssistantsBase()
    {
        var dockerfile = Read("Dockerfile");
        var ci = Read(".ci/run");

        var dockerPublish = PublishFlags().Match(dockerfile);
        var ciPublish = PublishFlags().Match(ci);
        Assert.True(dockerPublish.Success && ciPublish.Success);
        Assert.Equal(Flags(ciPublish.Value), Flags(dockerPublish.Value));
        Assert.Contains("linux-x64", dockerfile, StringComparison.Ordinal);
        Assert.Contains("linux-arm64", dockerfile, StringComparison.Ordinal);
        Assert.Contains("-r linux-x64", ciPublish.Value, StringComparison.Ordinal);
        Assert.Contains("HEALTHCHECK", dockerfile, StringComparison.Ordinal);
        Assert.DoesNotContain("BUILD_FROM", dockerfile, StringComparison.Ordinal);

        // The builder sets the labels from config.yaml.
        Assert.DoesNotMatch(@"(?m)^LABEL", dockerfile);

        // The memory settings the README's figures were measured with, in the form the native runtime reads: hexadecimal
        // digits without 0x (it ignores "0x100000" without a word).
        Assert.Contains("DOTNET_GCgen0size=100000", dockerfile, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"DOTNET_\w+=0[xX]", dockerfile);

        var run = Read("addon/rootfs/etc/services.d/tasmo-guardian/run");
        Assert.Contains("exec /opt/tasmo_guardian/TasmoGuardian --options /data/options.json --data-dir /data", run, StringComparison.Ordinal);
        Assert.Contains(Hosting.HealthFileService.Variable, dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void Dockerfile_BuildsNativeAot_ForAGlibcNotNewerThanTheRuntimeImages()
    {
        var dockerfile = Read("Dockerfile");
        var project = Read("src/TasmoGuardian/TasmoGuardian.csproj");
        Assert.Contains("<PublishAot>true</PublishAot>", project, StringComparison.Ordinal);

        // glibc of each release (Ubuntu 24.04 and 26.04: 2.39 and 2.42; Debian 12 and 13: 2.36 and 2.41): a program
        // linked against a newer glibc than the runtime image's does not start there.
        var glibc = new Dictionary<string, Version> { ["noble"] = new(2, 39), ["resolute"] = new(2, 42), ["bookworm"] = new(2, 36), ["trixie"] = new(2, 41) };
        var stages = Regex.Matches(dockerfile, @"(?m)^FROM (\S+)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, stages.Count);
        var sdk = Regex.Match(stages[0], @"^mcr\.microsoft\.com/dotnet/sdk:10\.0-(?<release>[a-z]+)-aot$");
        Assert.True(sdk.Success, $"the build stage is the .NET 10 SDK with the Native AOT toolchain: {stages[0]}");
        var runtime = Regex.Match(stages[1], @"^ghcr\.io/home-assistant/base-debian:(?<release>[a-z]+)$");
        Assert.True(runtime.Success, $"the runtime stage is Home Assistant's Debian base image: {stages[1]}");
        Assert.True(glibc[runtime.Groups["release"].Value] >= glibc[sdk.Groups["release"].Value], $"{stages[1]} has an older glibc than {stages[0]}");

        // Native AOT compiles for the platform it runs on; a build stage pinned to the build machine would put an amd64
        // program into an aarch64 image.
        Assert.DoesNotContain("BUILDPLATFORM", dockerfile, StringComparison.Ordinal);
        Assert.DoesNotContain("musl", project, StringComparison.Ordinal);
        Assert.Matches(@"apt-get install[^\n]*libssl3t64", dockerfile);
        Assert.Contains("cp /publish/TasmoGuardian /publish/libe_sqlite3.so /app/", dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void StopBudget_EachLayerWaitsLongerThanTheLayerInsideIt()
    {
        var supervisor = int.Parse(Scalar(Config, "timeout"), System.Globalization.CultureInfo.InvariantCulture);
        var s6 = int.Parse(Regex.Match(Read("Dockerfile"), @"S6_SERVICES_GRACETIME=(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(StopBudget.SupervisorSeconds, supervisor);
        Assert.Equal(StopBudget.S6ServicesGraceMilliseconds, s6);
        Assert.InRange(supervisor, 10, 300);
        Assert.True(TimeSpan.FromSeconds(supervisor) > TimeSpan.FromMilliseconds(s6) + TimeSpan.FromSeconds(3), "the Supervisor must outwait s6 and its kill grace");
        Assert.True(TimeSpan.FromMilliseconds(s6) > StopBudget.Host, "s6 must outwait the program");
        Assert.True(StopBudget.Host > StopBudget.BackupInFlight + TimeSpan.FromSeconds(8), "the program must finish the backup and still publish and disconnect");
    }

    [Fact]
    public void HomeAssistantsBackups_GetTheSnapshot_AndNotTheLiveDatabase()
    {
        var paths = new GuardianPaths("/data/options.json", "/data");

        Assert.Equal("/opt/tasmo_guardian/TasmoGuardian --snapshot-database --data-dir /data", Scalar(Config, "backup_pre"));
        Assert.Equal(
            [$"*/{Path.GetFileName(paths.DatabaseFile)}", $"*/{Path.GetFileName(paths.DatabaseFile)}-wal", $"*/{Path.GetFileName(paths.DatabaseFile)}-shm"],
            Sequence(Config, "backup_exclude").Select(n => ((YamlScalarNode)n).Value));
        Assert.False(Config.Children.ContainsKey("backup"), "hot is the default: the add-on keeps running during a backup");
    }

    [GeneratedRegex(@"^(str|bool|email|url|password|port|match\(.+\)|list\([^|()]+(\|[^|()]+)*\)|(int|float|str)(\(-?\d*,-?\d*\))?)\??$")]
    private static partial Regex TypePattern();

    [GeneratedRegex(@"dotnet publish src/TasmoGuardian/TasmoGuardian\.csproj[^\n]*")]
    private static partial Regex PublishFlags();

    private static string[] Flags(string command) =>
        [.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(f => f is "-c" or "Release" or "--self-contained" || f.StartsWith("-p:", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];

    private static (int Width, int Height) PngSize(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Root, file));
        Assert.Equal("89504E470D0A1A0A", Convert.ToHexString(bytes, 0, 8));
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    private static string Read(string file) => File.ReadAllText(Path.Combine(Root, file));

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(Read(file)));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node[key]).Value!;

    private static IEnumerable<YamlNode> Sequence(YamlMappingNode node, string key) => ((YamlSequenceNode)node[key]).Children;

    private static object? ToPlain(YamlNode node) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!, p => ToPlain(p.Value)),
        YamlSequenceNode list => list.Children.Select(ToPlain).ToList(),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar when bool.TryParse(scalar.Value, out var b) => b,
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar when int.TryParse(scalar.Value, out var i) => i,
        YamlScalarNode scalar => scalar.Value,
        _ => null,
    };
}
