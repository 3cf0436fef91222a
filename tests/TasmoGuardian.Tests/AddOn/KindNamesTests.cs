using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using TasmoGuardian.Configuration;
using TasmoGuardian.Devices;
using TasmoGuardian.Kinds;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.AddOn;

/// <summary>
/// The device kinds are named in several places a user reads or the Supervisor checks: the registered kinds, the
/// <c>devices</c> option's types, config.yaml's schema, the translations and DOCS.md. They must all name the same kinds,
/// and the add-on folder's DOCS.md and translations must be the only copies.
/// </summary>
public sealed partial class KindNamesTests : IDisposable
{
    private static readonly string Root = GuardianProcess.RepositoryRoot();
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void EveryDeviceType_HasItsKind_AndEveryOptionTypeNamesAKindOfThatName()
    {
        var kinds = RegisteredKinds();

        Assert.Equal(Enum.GetValues<DeviceType>().Order(), kinds.Select(k => k.Type).Order());
        Assert.Equal(kinds.Select(k => k.OptionName).Distinct().Order(StringComparer.Ordinal), DeviceOption.Types.Keys.Order(StringComparer.Ordinal));
        Assert.All(DeviceOption.Types, t => Assert.Equal(t.Key, kinds.Single(k => k.Type == t.Value).OptionName));
    }

    [Fact]
    public void ConfigYaml_TheTranslations_AndDocs_NameExactlyTheOptionsTypes()
    {
        var names = DeviceOption.Types.Keys.ToList();

        var schema = SchemaList().Match(File.ReadAllText(Path.Combine(Root, "config.yaml")));
        Assert.True(schema.Success, "config.yaml has no devices.type list");
        Assert.Equal(names, schema.Groups["names"].Value.Split('|'));

        var translation = File.ReadAllLines(Path.Combine(Root, "addon", "translations", "en.yaml"))
            .SkipWhile(l => l.Trim() != "type:").Skip(2).First();
        Assert.All(names, n => Assert.Contains(n, translation, StringComparison.Ordinal));

        var docs = File.ReadAllLines(Path.Combine(Root, "addon", "DOCS.md")).Single(l => l.StartsWith("Types: ", StringComparison.Ordinal));
        Assert.Equal(names, DocsTypes().Matches(docs[..docs.IndexOf('.', StringComparison.Ordinal)]).Select(m => m.Groups[1].Value));
    }

    [Fact]
    public void DocsAndTranslations_HaveOneCopy_ThatTheRepositoryRootLinksTo()
    {
        Assert.Equal("addon/DOCS.md", new FileInfo(Path.Combine(Root, "DOCS.md")).LinkTarget);
        Assert.Equal("addon/translations", new DirectoryInfo(Path.Combine(Root, "translations")).LinkTarget);
    }

    [Theory]
    [InlineData("README.md")]
    [InlineData("addon/DOCS.md")]
    [InlineData("config.yaml")]
    [InlineData("addon/translations/en.yaml")]
    [InlineData("src/TasmoGuardian/Configuration/CommandLine.cs")]
    public void UserFacingTexts_DoNotSpeakOfFewerKindsThanThereAre(string file)
    {
        var text = File.ReadAllText(Path.Combine(Root, file));
        Assert.DoesNotMatch(FewerKinds(), text);
    }

    private IReadOnlyCollection<IDeviceKind> RegisteredKinds()
    {
        var builder = Program.CreateBuilder(GuardianApp.DefaultOptions(_folder), new GuardianPaths(_folder.OptionsFile, _folder.Data), BrokerSource.Fixed(new MqttSettings("127.0.0.1", 1, null, null, false, "the test")), null);
        using var host = builder.Build();
        return host.Services.GetRequiredService<KindCatalog>().All;
    }

    [GeneratedRegex(@"type: list\((?<names>[a-z_|]+)\)")]
    private static partial Regex SchemaList();

    [GeneratedRegex("`([a-z_]+)`")]
    private static partial Regex DocsTypes();

    // "Tasmota and WLED devices", "Tasmota, WLED and Shelly devices": what 0.1 to 0.3 said before the other kinds came.
    [GeneratedRegex(@"Tasmota(, WLED)? and (WLED|Shelly)( devices?\b|'s? devices| device's)", RegexOptions.IgnoreCase)]
    private static partial Regex FewerKinds();
}
