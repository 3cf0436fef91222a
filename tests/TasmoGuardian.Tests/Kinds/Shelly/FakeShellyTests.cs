using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Kinds.Shelly;

/// <summary>The fake answers as the captured firmware does (tests/fixtures/shelly), so tests against it mean something.</summary>
public sealed class FakeShellyTests : IAsyncLifetime
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly List<FakeShelly> _fakes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var fake in _fakes)
        {
            await fake.DisposeAsync();
        }

        _http.Dispose();
    }

    [Fact]
    public async Task Gen2GetStatus_IsTheCapture_WithItsOwnMacAddressAndUptime()
    {
        var shelly = Start(ShellyFirmware.Gen2);

        var status = JsonNode.Parse(await _http.GetStringAsync(new Uri($"http://{shelly.Host}/rpc/Shelly.GetStatus")))!.AsObject();

        var capture = Fixtures.Text("shelly/shelly_gen2_getstatus_1.7.5_Plus1PM.json");
        var captured = JsonNode.Parse(capture)!.AsObject();
        Assert.Equal(Keys(captured), Keys(status));
        Assert.Equal(Keys(captured["sys"]!.AsObject()), Keys(status["sys"]!.AsObject()));
        Assert.Equal((shelly.Mac, shelly.Address.ToString(), "12:36:26:45:ef:96"), ((string?)status["sys"]!["mac"], (string?)status["wifi"]!["sta_ip"], (string?)status["wifi"]!["bssid"]));
        Assert.InRange((long)status["sys"]!["uptime"]!, 0, 60);
        Assert.Contains("\"aenergy\":{\"total\":16.896,\"by_minute\":[0.000,0.000,0.000]", FirmwareFixtures.Write(status), StringComparison.Ordinal);
        Assert.Equal(status["wifi"]!.ToJsonString(), JsonNode.Parse(await _http.GetStringAsync(new Uri($"http://{shelly.Host}/rpc/WiFi.GetStatus")))!.ToJsonString());
    }

    [Fact]
    public async Task Gen2GetConfig_IsTheCapture_WithItsOwnMacIdNameAndFirmware()
    {
        var shelly = Start(ShellyFirmware.Gen3);

        var config = await _http.GetStringAsync(new Uri($"http://{shelly.Host}/rpc/Shelly.GetConfig"));

        Assert.Contains($"\"device\":{{\"name\":\"1PM Gen3\",\"mac\":\"{shelly.Mac}\",\"fw_id\":\"20260311-095856/1.7.5-g9979d16\",", config, StringComparison.Ordinal);
        Assert.Contains($"\"client_id\":\"{shelly.Id}\"", config, StringComparison.Ordinal);
        Assert.Contains($"\"ssid\":\"ShellyPlus1PM-{shelly.Mac}\"", config, StringComparison.Ordinal);
        Assert.Contains("\"auto_on_delay\":60.00,", config, StringComparison.Ordinal);
        Assert.DoesNotContain("123E4CC6BADC", config, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("shelly1pmg3-", shelly.Id, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Gen2V0_10", null, "^[0-9a-f]{8}$", false)]
    [InlineData("Gen2", null, "^[0-9]{10}$", false)]
    [InlineData("Gen2", "2.0.0", "^[A-Za-z0-9+/]{62}==$", true)]
    public async Task Gen2Unauthorized_HasNoBody_AndTheNonceOfItsFirmware(string firmware, string? version, string nonce, bool noStore)
    {
        var shelly = Start((ShellyFirmware)typeof(ShellyFirmware).GetProperty(firmware)!.GetValue(null)!);
        if (version is not null)
        {
            shelly.Version = version;
        }

        shelly.Password = "s3cret";

        using var answer = await _http.GetAsync(new Uri($"http://{shelly.Host}/rpc/Shelly.GetConfig"));

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Empty(await answer.Content.ReadAsByteArrayAsync());
        Assert.Equal(0, answer.Content.Headers.ContentLength);
        Assert.Equal("ShellyHTTP/1.0.0", answer.Headers.Server.ToString());
        Assert.Equal(noStore, answer.Headers.CacheControl?.NoStore == true);
        var challenge = answer.Headers.WwwAuthenticate.Single().ToString();
        Assert.Matches($"^Digest qop=\"auth\", realm=\"{shelly.Id}\", nonce=\"[^\"]+\", algorithm=SHA-256$", challenge);
        Assert.Matches(nonce, challenge.Split("nonce=\"")[1].Split('"')[0]);
        Assert.Equal(HttpStatusCode.OK, (await _http.GetAsync(new Uri($"http://{shelly.Host}/rpc/Shelly.GetDeviceInfo"))).StatusCode);
    }

    [Fact]
    public async Task Gen2Rpc_TakesJsonQueryValues_OrAJsonBody_InAnyCase_AndSaysWhatItHasNoHandlerFor()
    {
        var shelly = Start(ShellyFirmware.Gen2);
        var size = Encoding.UTF8.GetByteCount(shelly.ScriptCode[1]);

        var first = await _http.GetStringAsync(new Uri($"http://{shelly.Host}/rpc/script.getcode?id=1&len=1"));
        using var posted = await _http.PostAsync(new Uri($"http://{shelly.Host}/rpc/Script.GetCode"), new StringContent("""{"id":1,"offset":1,"len":2}""", Encoding.UTF8, "application/json"));
        using var missing = await _http.GetAsync(new Uri($"http://{shelly.Host}/rpc/Cover.Calibrate"));

        Assert.Equal($$"""{"data":"l","left":{{size - 1}}}""", first);
        Assert.Equal($$"""{"data":"et","left":{{size - 3}}}""", await posted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("""{"code":404,"message":"No handler for Cover.Calibrate"}""", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Gen2Writes_AnswerAsTheFirmware_ScriptCreateAndPutCodeWithTheWholeLength_SetConfigWithRestartRequired()
    {
        var shelly = Start(ShellyFirmware.Gen2);

        var created = await PostAsync(shelly, "Script.Create", """{"name":"heating"}""");
        var first = await PostAsync(shelly, "Script.PutCode", """{"id":3,"code":"let a=1;","append":false}""");
        var second = await PostAsync(shelly, "script.putcode", """{"id":3,"code":"°","append":true}""");
        var running = await PostAsync(shelly, "Script.PutCode", """{"id":1,"code":"x"}""");
        var stopped = await PostAsync(shelly, "Script.Stop", """{"id":1}""");
        var config = await _http.GetStringAsync(new Uri($"http://{shelly.Host}/rpc/Shelly.GetConfig"));

        Assert.Equal((HttpStatusCode.OK, """{"id":3}"""), created);
        Assert.Equal((HttpStatusCode.OK, """{"len":8}"""), first);
        Assert.Equal((HttpStatusCode.OK, """{"len":10}"""), second);
        Assert.Equal("let a=1;°", shelly.ScriptCode[3]);
        Assert.Equal(HttpStatusCode.BadRequest, running.Status);
        Assert.Contains("\"code\":-103", running.Body, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, """{"was_running":true}"""), stopped);
        Assert.Contains("\"mqtt\":{", config, StringComparison.Ordinal);
        Assert.True(config.IndexOf("\"script:3\":{\"id\":3,\"name\":\"heating\",\"enable\":false}", StringComparison.Ordinal) < config.IndexOf("\"switch:0\"", StringComparison.Ordinal), config);

        var plain = await PostAsync(shelly, "Switch.SetConfig", """{"id":0,"config":{"name":"Pump"}}""");
        var ble = await PostAsync(shelly, "BLE.SetConfig", """{"config":{"enable":true}}""");
        var status = JsonNode.Parse(await _http.GetStringAsync(new Uri($"http://{shelly.Host}/rpc/Shelly.GetStatus")))!;
        var cloud = await PostAsync(shelly, "Cloud.SetConfig", """{"config":{"enable":true,"server":"elsewhere"}}""");
        var missing = await PostAsync(shelly, "Switch.SetConfig", """{"id":7,"config":{"name":"x"}}""");

        Assert.Equal((HttpStatusCode.OK, """{"restart_required":false}"""), plain);
        Assert.Equal(("Pump", "follow", 16L), ((string?)shelly.Config["switch:0"]!["name"], (string?)shelly.Config["switch:0"]!["in_mode"], (long?)shelly.Config["sys"]!["cfg_rev"]));
        Assert.Equal((HttpStatusCode.OK, """{"restart_required":true}"""), ble);
        Assert.True((bool)status["sys"]!["restart_required"]!);
        Assert.Equal("""{"code":-107,"message":"Permission denied: Only cloud can update!"}""", cloud.Body);
        Assert.Equal("""{"code":-105,"message":"Argument 'id', value 7 not found!"}""", missing.Body);
    }

    [Fact]
    public async Task Gen2Lists_AreReplacedAsTheFirmwareDoes_TheDeviceGivesIdsAndMovesTheRevision()
    {
        var shelly = Start(ShellyFirmware.Gen2);

        var deleted = await PostAsync(shelly, "Schedule.DeleteAll", "{}");
        var job = await PostAsync(shelly, "Schedule.Create", """{"enable":true,"timespec":"0 0 6 * * *","calls":[{"method":"Switch.Set","params":{"id":0,"on":true}}]}""");
        var hook = await PostAsync(shelly, "Webhook.Create", """{"cid":0,"enable":true,"event":"switch.off","name":"off","urls":["http://x/off"]}""");
        var kvs = await PostAsync(shelly, "KVS.Set", """{"key":"target","value":21.5}""");

        Assert.Equal((HttpStatusCode.OK, "null"), deleted);
        Assert.Equal((HttpStatusCode.OK, """{"id":1,"rev":4}"""), job);
        Assert.Equal("""{"jobs":[{"id":1,"enable":true,"timespec":"0 0 6 * * *","calls":[{"method":"Switch.Set","params":{"id":0,"on":true}}]}],"rev":4}""", FirmwareFixtures.Write(shelly.Schedules));
        Assert.Equal((HttpStatusCode.OK, """{"id":2,"rev":2}"""), hook);
        Assert.Matches("""^\{"etag":"[A-Za-z0-9+/=]+","rev":2\}$""", kvs.Body);
    }

    [Fact]
    public async Task Gen1_AsksForBasicAuthWithRealmShelly_AndRebootsWithAnEmptyObject()
    {
        var shelly = Start(ShellyFirmware.Gen1);
        shelly.Password = "relay-pass";

        using var refused = await _http.GetAsync(new Uri($"http://{shelly.Host}/settings"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{shelly.Host}/reboot"));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:relay-pass")));
        using var reboot = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Basic realm=\"Shelly\"", refused.Headers.WwwAuthenticate.Single().ToString());
        Assert.Equal("{}", await reboot.Content.ReadAsStringAsync());
        Assert.Equal(1, shelly.Restarts);
        string? identity = null;
        await Eventually.TrueAsync(async () => (identity = await TryGetAsync($"http://{shelly.Host}/shelly")) is not null, Waits.Short, () => "the Shelly back after its reboot");
        Assert.Equal($$"""{"type":"SHSW-1","mac":"{{shelly.Mac}}","auth":true,"fw":"20230913-112003/v1.14.0-gcb84623","discoverable":false,"longid":1,"num_outputs":1}""", identity);
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(FakeShelly shelly, string method, string body)
    {
        using var answer = await _http.PostAsync(new Uri($"http://{shelly.Host}/rpc/{method}"), new StringContent(body, Encoding.UTF8, "application/json"));
        return (answer.StatusCode, await answer.Content.ReadAsStringAsync());
    }

    private async Task<string?> TryGetAsync(string url)
    {
        try
        {
            return await _http.GetStringAsync(new Uri(url));
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static List<string> Keys(JsonObject o) => [.. o.Select(p => p.Key)];

    private FakeShelly Start(ShellyFirmware firmware)
    {
        var fake = FakeShelly.Start(firmware);
        _fakes.Add(fake);
        return fake;
    }
}
