using TasmoGuardian.Devices;
using System.Text;
using Microsoft.Extensions.Logging;
using TasmoGuardian.Configuration;

namespace TasmoGuardian.Tests.Configuration;

public sealed class OptionsLoaderTests
{
    [Fact]
    public void Load_GivesTheContractsDefaults_WhenTheFileIsMissing()
    {
        var (options, warnings) = OptionsLoader.Load("/nonexistent/options.json");

        Assert.Empty(warnings);
        Assert.Null(options.MqttHost);
        Assert.Equal(1883, options.MqttPort);
        Assert.False(options.MqttTls);
        Assert.Equal("homeassistant", options.DiscoveryPrefix);
        Assert.Equal("tasmo_guardian", options.BaseTopic);
        Assert.True(options.TasmotaDiscovery);
        Assert.True(options.AnnounceDiscovery);
        Assert.Equal("/share/tasmo_guardian", options.BackupDir);
        Assert.Equal(24, options.BackupMinHours);
        Assert.Equal("0 3 * * *", options.Schedule!.ToString());
        Assert.Equal(0, options.KeepBackups);
        Assert.Equal("admin", options.TasmotaUsername);
        Assert.Null(options.TasmotaPassword);
        Assert.Equal(30, options.RequestTimeoutSeconds);
        Assert.Empty(options.Devices);
        Assert.True(options.StoreUnchanged);
        Assert.Equal(LogLevel.Information, options.LogLevel);
    }

    [Fact]
    public void Parse_ReadsEveryOption()
    {
        var (options, _) = Parse("""
            {"mqtt_host":"core-mosquitto","mqtt_port":8883,"mqtt_username":"u","mqtt_password":"p","mqtt_tls":true,
             "discovery_prefix":"ha","base_topic":"tg","tasmota_discovery":false,"announce_discovery":false,"backup_dir":"/backup/x","backup_min_hours":0,
             "schedule":"@weekly","keep_backups":10,"tasmota_username":"root","tasmota_password":"pw","request_timeout_seconds":5,
             "devices":[{"host":"192.168.1.7","type":"tasmota","name":"Heater","password":"own"},{"host":"wled.local:8080","type":"WLED"},{"host":"10.0.0.9","type":"tasmota","username":" user "}],
             "store_unchanged":false,"log_level":"debug"}
            """);

        Assert.Equal(("core-mosquitto", 8883, "u", "p", true), (options.MqttHost, options.MqttPort, options.MqttUsername, options.MqttPassword, options.MqttTls));
        Assert.Equal(("ha", "tg", false, false, "/backup/x", 0), (options.DiscoveryPrefix, options.BaseTopic, options.TasmotaDiscovery, options.AnnounceDiscovery, options.BackupDir, options.BackupMinHours));
        Assert.Equal("@weekly", options.Schedule!.ToString());
        Assert.Equal((10, "root", "pw", 5), (options.KeepBackups, options.TasmotaUsername, options.TasmotaPassword, options.RequestTimeoutSeconds));
        Assert.Equal(new DeviceOption("192.168.1.7", DeviceType.Tasmota, "Heater", "own"), options.Devices[0]);
        Assert.Equal(new DeviceOption("wled.local:8080", DeviceType.Wled, null, null), options.Devices[1]);
        Assert.Equal(new DeviceOption("10.0.0.9", DeviceType.Tasmota, null, null, "user"), options.Devices[2]);
        Assert.False(options.StoreUnchanged);
        Assert.Equal(LogLevel.Debug, options.LogLevel);
    }

    [Theory]
    [InlineData("""{"schedule":""}""")]
    [InlineData("""{"schedule":null}""")]
    [InlineData("""{"schedule":"  "}""")]
    public void Parse_TurnsTheScheduleOff_WhenEmpty(string json) => Assert.Null(Parse(json).Options.Schedule);

    [Fact]
    public void Parse_WarnsAboutUnknownKeys_AndCarriesOn()
    {
        var (options, warnings) = Parse("""{"backup_min_hour":3,"keep_backups":2}""");

        Assert.Equal(2, options.KeepBackups);
        Assert.Equal("Option 'backup_min_hour' is not known and is ignored.", Assert.Single(warnings));
    }

    [Theory]
    // Wrong types.
    [InlineData("""{"mqtt_port":"1883"}""", "Invalid option 'mqtt_port': expected a whole number between 1 and 65535, not the text \"1883\".")]
    [InlineData("""{"mqtt_tls":"yes"}""", "Invalid option 'mqtt_tls': expected true or false, not the text \"yes\".")]
    [InlineData("""{"store_unchanged":0}""", "Invalid option 'store_unchanged': expected true or false, not the number 0.")]
    [InlineData("""{"backup_dir":5}""", "Invalid option 'backup_dir': expected text, not the number 5.")]
    [InlineData("""{"keep_backups":1.5}""", "Invalid option 'keep_backups': expected a whole number between 0 and 100000, not the number 1.5.")]
    [InlineData("""{"devices":{"host":"x"}}""", "Invalid option 'devices': expected a list, not an object.")]
    [InlineData("""{"schedule":5}""", "Invalid option 'schedule': expected a cron expression such as \"0 3 * * *\", not the number 5.")]
    // Out of range.
    [InlineData("""{"mqtt_port":0}""", "Invalid option 'mqtt_port': 0 is outside 1–65535.")]
    [InlineData("""{"backup_min_hours":8761}""", "Invalid option 'backup_min_hours': 8761 is outside 0–8760.")]
    [InlineData("""{"keep_backups":-1}""", "Invalid option 'keep_backups': -1 is outside 0–100000.")]
    [InlineData("""{"request_timeout_seconds":301}""", "Invalid option 'request_timeout_seconds': 301 is outside 1–300.")]
    [InlineData("""{"request_timeout_seconds":0}""", "Invalid option 'request_timeout_seconds': 0 is outside 1–300.")]
    // Bad values.
    [InlineData("""{"schedule":"0 25 * * *"}""", "Invalid option 'schedule': Hours: value must be a number between 0 and 23, not '25'.")]
    [InlineData("""{"schedule":"every day"}""", "Invalid option 'schedule': Expected 5 fields (minute hour day-of-month month day-of-week) but found 2 in 'every day'.")]
    [InlineData("""{"log_level":"verbose"}""", "Invalid option 'log_level': 'verbose' is not one of trace, debug, info, warning, error.")]
    [InlineData("""{"base_topic":"a/#"}""", "Invalid option 'base_topic': 'a/#' is not a usable MQTT topic (no '+', '#', leading '$' or leading or trailing '/').")]
    [InlineData("""{"discovery_prefix":"homeassistant/"}""", "Invalid option 'discovery_prefix': 'homeassistant/' is not a usable MQTT topic (no '+', '#', leading '$' or leading or trailing '/').")]
    [InlineData("""{"base_topic":"homeassistant"}""", "Invalid option 'base_topic': it must differ from discovery_prefix ('homeassistant').")]
    [InlineData("""{"tasmota_username":"  "}""", "Invalid option 'tasmota_username': must not be blank.")]
    // Devices.
    [InlineData("""{"devices":[{"host":"10.0.0.5","type":"esphome"}]}""", "Invalid option 'devices[0].type': 'esphome' is not one of tasmota, wled, shelly, opendtu, ahoydtu, ai_on_the_edge, awtrix, openhasp.")]
    [InlineData("""{"devices":[{"type":"tasmota"}]}""", "Invalid option 'devices[0].host': is missing.")]
    [InlineData("""{"devices":[{"host":"10.0.0.5"}]}""", "Invalid option 'devices[0].type': is missing (tasmota, wled, shelly, opendtu, ahoydtu, ai_on_the_edge, awtrix, openhasp).")]
    [InlineData("""{"devices":[{"host":"http://10.0.0.5/","type":"tasmota"}]}""", "Invalid option 'devices[0].host': 'http://10.0.0.5/' is not a host: give only the IP or name, without http:// or a path.")]
    [InlineData("""{"devices":[{"host":"10.0.0.5:99999","type":"tasmota"}]}""", "Invalid option 'devices[0].host': '99999' is not a port between 1 and 65535.")]
    [InlineData("""{"devices":[{"host":"bad host","type":"tasmota"}]}""", "Invalid option 'devices[0].host': 'bad host' is not an IP address or host name.")]
    [InlineData("""{"devices":[{"host":"a","type":"wled"},{"host":"A","type":"wled"}]}""", "Invalid option 'devices[1].host': 'A' is listed twice.")]
    [InlineData("""{"devices":[{"host":"a","type":"wled","pin":"1234"}]}""", "Invalid option 'devices[0].pin': is not known; an entry has host, type, name, username and password.")]
    [InlineData("""{"devices":["10.0.0.5"]}""", "Invalid option 'devices[0]': expected an entry with host and type, not the text \"10.0.0.5\".")]
    // Not an options file.
    [InlineData("""[1,2]""", "The options file test must hold a JSON object, not a list.")]
    public void Parse_StopsWithOneLineNamingTheOption(string json, string message)
    {
        var ex = Assert.Throws<OptionsException>(() => Parse(json));

        Assert.Equal(message, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Parse_ReportsBrokenJson_InOneLine()
    {
        var ex = Assert.Throws<OptionsException>(() => Parse("""{"mqtt_port": }"""));

        Assert.StartsWith("The options file test is not valid JSON:", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("10.0.0.5:8080")]
    [InlineData("kitchen.local")]
    [InlineData("kitchen")]
    [InlineData("[fe80::1]:80")]
    [InlineData("fe80::1")]
    public void HostAddress_AcceptsWhatUsersWrite(string host) => Assert.True(HostAddress.TryValidate(host, out _));

    [Fact]
    public void ToString_NeverShowsPasswords()
    {
        var (options, _) = Parse("""{"mqtt_password":"secret-broker","tasmota_password":"secret-web","devices":[{"host":"a","type":"tasmota","password":"secret-own"}]}""");

        var text = options + " " + options.Devices[0];

        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
    }

    [Fact]
    public void CommandLine_ReadsTheContractsArguments()
    {
        var line = CommandLine.Parse(["--options", "/tmp/o.json", "--data-dir", "/tmp/d"]);

        Assert.Equal(new GuardianPaths("/tmp/o.json", "/tmp/d"), line.Paths);
        Assert.Equal(new GuardianPaths("/data/options.json", "/data"), CommandLine.Parse([]).Paths);
        Assert.Equal("Unknown argument '--verbose'. Try --help.", Assert.Throws<OptionsException>(() => CommandLine.Parse(["--verbose"])).Message);
        Assert.Equal("Argument --options needs a value. Try --help.", Assert.Throws<OptionsException>(() => CommandLine.Parse(["--options"])).Message);
    }

    private static (GuardianOptions Options, IReadOnlyList<string> Warnings) Parse(string json) => OptionsLoader.Parse(Encoding.UTF8.GetBytes(json), "test");
}
