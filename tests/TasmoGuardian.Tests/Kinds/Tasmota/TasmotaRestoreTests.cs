using TasmoGuardian.Backups.Work;
using TasmoGuardian.Devices;
using TasmoGuardian.Kinds;
using TasmoGuardian.Kinds.Tasmota;
using TasmoGuardian.Testing;
using TasmoGuardian.Tests.Support;

namespace TasmoGuardian.Tests.Kinds.Tasmota;

/// <summary>The pure parts of Tasmota's restore: the answer pages in two languages, the dump's driver files, what may differ after a restore.</summary>
public sealed class TasmotaRestoreTests
{
    // The checks below read files only; nothing is sent, so no HTTP client is needed.
    private static TasmotaRestore NewRestore() => new(null!, new TasmoGuardian.Configuration.GuardianOptions(), null!);

    private static byte[] Page(string word, string? reason = null) => System.Text.Encoding.UTF8.GetBytes(
        reason is null
            ? $"<html><head><script>setTimeout(function(){{location.href='.';}},10000);</script></head><body><div style='text-align:center;'><b>Upload <font color='#008000'>{word}</font></b><br>Device will restart in a few seconds</div></body></html>"
            : $"<html><body><div style='text-align:center;'><b>Upload <font color='#ff5661'>{word}</font></b><br><br>{reason}<br></div></body></html>");

    [Theory]

    // The firmware's own pages in every release and language are read in TasmotaFixtureTableTests; here the rules
    // beyond them: the reload script alone is success in any language; a failure in a language not read stays unknown.
    [InlineData("Successful", null, "Accepted", 0)]
    [InlineData("erfolgreich", null, "Accepted", 0)]
    [InlineData("Sikeres", null, "Accepted", 0)]
    [InlineData("Failed", "Upload error code 12", "Rejected", 12)]
    [InlineData("fehlgeschlagen", "Upload Fehler Nummer 10", "Rejected", 10)]
    [InlineData("Sikertelen", "Érvénytelen fájl", "Unknown", 0)]
    public void UploadAnswer_TellsSuccessFromEachFailure(string word, string? reason, string verdict, int code)
    {
        var (v, c, _) = TasmotaUploadAnswer.Read(Page(word, reason));
        Assert.Equal((verdict, code), (v.ToString(), c));
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html><body>Tasmota</body></html>")]
    [InlineData("{\"WARNING\":\"Need user=<username>&password=<password>\"}")]
    public void UploadAnswer_IsUnknown_WhenThePageSaysNeither(string page) =>
        Assert.Equal(TasmotaUploadAnswer.Verdict.Unknown, TasmotaUploadAnswer.Read(System.Text.Encoding.UTF8.GetBytes(page)).Verdict);

    [Theory]
    [InlineData(8, "the device refused the file as invalid (its checksum or chip family does not fit this device); nothing was changed")]
    [InlineData(9, "the device refused the file as too large: its firmware keeps no driver settings; nothing was changed")]
    [InlineData(2, "the device had not enough free memory to take the file (Tasmota error 2); nothing was changed, try again after a restart")]
    public void UploadAnswer_ExplainsARejection_InAUsersWords(int code, string expected) =>
        Assert.Equal(expected, TasmotaUploadAnswer.Explain(code, "whatever"));

    [Theory]
    [InlineData("1T07:25:12", 1 * 86400 + 7 * 3600 + 25 * 60 + 12)]
    [InlineData("0T00:00:05", 5)]
    [InlineData("17", 17 * 3600)]
    public void ParseUptime_ReadsTasmotasForms(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), TasmotaRestore.ParseUptime(text));

    [Fact]
    public void Settings_ReadsEachDriverFile_AndChecksItsCrc()
    {
        var dump = TasmotaDumpBuilder.BuildWithDrivers(0x0F010000, 1, 3, (3, 120), (5, 44));
        var settings = TasmotaSettings.Read(dump);

        Assert.True(settings.Framed);
        Assert.Equal([("/.drvset003", 120, true), ("/.drvset005", 44, true)], settings.Drivers.Select(d => (d.Name, d.Size, d.ChecksumValid)));
        Assert.Equal(1, settings.PlatformByte);

        // One flipped bit in a driver's data: the firmware would skip that driver on restore.
        var damaged = TasmotaDumpBuilder.FlipBit(dump, 16 + 4096 + 16 + 40);
        Assert.False(TasmotaSettings.Read(damaged).Drivers[0].ChecksumValid);
    }

    [Fact]
    public void Settings_DiffersOnlyWhereTheUserChangedSomething_NotInTheFieldsTheFirmwareRewrites()
    {
        var before = TasmotaDumpBuilder.Settings(TasmotaDumpBuilder.Build(seed: 4));
        var after = (byte[])before.Clone();
        foreach (var (_, offset, length) in TasmotaSettings.SelfChangingFields.Where(f => f.AppliesTo(0x0D010000) && f.Offset >= TasmotaSettings.CompareStart && f.Offset < TasmotaSettings.CompareEnd))
        {
            after.AsSpan(offset, length).Fill(0xAB);
        }

        Assert.Empty(TasmotaSettings.DifferingFields(before, after));

        after[0x800] ^= 1;
        Assert.Equal(["0x800"], TasmotaSettings.DifferingFields(before, after));
    }

    [Theory]

    // Research FACTS §12: every field the firmware rewrites by itself inside the range a restore copies, with its
    // offset in TSettings (tasmota_types.h @3b28c3d7, 15.1.0). A change there alone is no difference.
    [InlineData("power", 0x2E8, 4)]
    [InlineData("energy_kWhtoday_ph", 0x314, 12)]
    [InlineData("energy_kWhyesterday_ph", 0x320, 12)]
    [InlineData("energy_kWhtotal_ph", 0x32C, 12)]
    [InlineData("last_module", 0x399, 1)]
    [InlineData("energy_kWhdoy", 0x3A4, 2)]
    [InlineData("light_color", 0x498, 5)]
    [InlineData("light_dimmer", 0x49E, 1)]
    [InlineData("rule_once", 0x4A0, 1)]
    [InlineData("ipv4_address[1..4]: gateway, subnet mask, DNS", 0x548, 16)]
    [InlineData("pulse_counter", 0x5C0, 16)]
    [InlineData("energy_usage", 0x77C, 24)]
    [InlineData("energy_kWhtotal_time", 0x7B4, 4)]
    [InlineData("shutter_position", 0xE80, 4)]
    [InlineData("sta_active", 0xEC8, 1)]
    [InlineData("wifi_channel", 0xF09, 1)]
    [InlineData("wifi_bssid", 0xF0A, 6)]
    [InlineData("energy_kWhexport_ph", 0xF7C, 12)]
    [InlineData("eth_ipv4_address[1..4]", 0xF8C, 16)]
    [InlineData("bootcount_reset_time", 0xFD4, 4)]
    public void DifferingFields_IgnoresEveryFieldTheFirmwareChangesByItself(string field, int offset, int length)
    {
        var before = TasmotaDumpBuilder.Settings(TasmotaDumpBuilder.Build(0x0F010000, seed: 8));
        var after = (byte[])before.Clone();
        for (var i = offset; i < offset + length; i++)
        {
            after[i] ^= 0x5A;
        }

        Assert.True(TasmotaSettings.DifferingFields(before, after).Count == 0, field);
    }

    [Theory]

    // Where the layout moved, the old place holds the user's settings: 9.2.0's switchmode at 0x3A4 (settings.h
    // @0489d3fc:436), 15.1.0's energy calibration at 0x370 and power_lock at 0xF9C (tasmota_types.h @3b28c3d7:546,902).
    [InlineData(0x09020000u, 0x3A4, true)]
    [InlineData(0x0F010000u, 0x3A4, false)]
    [InlineData(0x09020000u, 0x370, false)]
    [InlineData(0x0F010000u, 0x370, true)]
    [InlineData(0x09050004u, 0xF9C, false)]
    [InlineData(0x0F010000u, 0xF9C, true)]
    public void DifferingFields_FollowsTheLayoutOfTheSettingsVersion(uint version, int offset, bool differs)
    {
        var before = TasmotaDumpBuilder.Settings(TasmotaDumpBuilder.Build(version, seed: 9));
        var after = (byte[])before.Clone();
        after[offset] ^= 0x5A;

        Assert.Equal(differs, TasmotaSettings.DifferingFields(before, after).Count > 0);
    }

    [Fact]
    public void Texts_AreThoseOfTheTextPoolAndTheRules()
    {
        var block = new byte[4096];
        System.Text.Encoding.ASCII.GetBytes("Kitchen\0tasmota_1234\0ab\0").CopyTo(block, 0x017);
        System.Text.Encoding.ASCII.GetBytes("ON Power1#State DO Publish x ENDON\0").CopyTo(block, 0x800);
        System.Text.Encoding.ASCII.GetBytes("elsewhere\0").CopyTo(block, 0x400);

        Assert.Equal(["Kitchen", "ON Power1#State DO Publish x ENDON", "tasmota_1234"], TasmotaSettings.Texts(block).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Open_RefusesADumpThatFailsTheBackupChecks_OrADamagedDriverFile()
    {
        var restore = NewRestore();

        Assert.Equal(FailureKind.BadChecksum, Assert.Throws<DeviceException>(() => restore.Open(TasmotaDumpBuilder.FlipBit(TasmotaDumpBuilder.Build(), 2000), null)).Failure.Kind);
        var dump = TasmotaDumpBuilder.BuildWithDrivers(0x0F010000, 1, 3, (3, 120));
        var error = Assert.Throws<DeviceException>(() => restore.Open(TasmotaDumpBuilder.FlipBit(dump, 16 + 4096 + 16 + 40), null));
        Assert.Equal("the stored backup's driver settings /.drvset003 have a bad checksum", error.Failure.Reason);
        Assert.Equal(("ESP32", "15.1.0"), (restore.Open(dump, null).Platform, restore.Open(dump, null).Version));
    }

    [Theory]

    // The driver-file trap: the firmware writes driver files even when it rejects the rest, so they must fit first.
    [InlineData(true, true, null)]
    [InlineData(true, false, "the backup holds driver settings (/.drvset003) and this device's firmware keeps none")]
    [InlineData(false, true, null)]
    [InlineData(false, false, null)]
    public void Refuses_ABackupWhoseDriverFilesTheDeviceDoesNotKeep(bool backupHasDrivers, bool deviceHasDrivers, string? expected)
    {
        var restore = NewRestore();
        var backup = backupHasDrivers ? TasmotaDumpBuilder.BuildWithDrivers(0x0F010000, 1, 3, (3, 120)) : TasmotaDumpBuilder.Build(0x0F010000, 1, 3);
        var current = deviceHasDrivers ? TasmotaDumpBuilder.BuildWithDrivers(0x0F010000, 1, 9, (3, 120)) : TasmotaDumpBuilder.Build(0x0F010000, 1, 9);

        Assert.Equal(expected, restore.Refuses(restore.Open(backup, null), new DownloadedBackup(current, "dmp", "15.1.0", "ESP32")));
    }

    [Fact]
    public void Refuses_DriverFilesOfAnotherSize()
    {
        var restore = NewRestore();
        var backup = restore.Open(TasmotaDumpBuilder.BuildWithDrivers(0x0F010000, 1, 3, (3, 120)), null);
        var current = TasmotaDumpBuilder.BuildWithDrivers(0x0F010000, 1, 9, (3, 200));

        Assert.Equal("the backup's driver settings /.drvset003 (120 bytes) do not fit this device's (200 bytes): the firmware differs", restore.Refuses(backup, new DownloadedBackup(current, "dmp", null, null)));
    }

    [Fact]
    public void Differences_SeeTheRestoredSettings_AcrossAnUpgradeToo()
    {
        var restore = NewRestore();
        var uploaded = TasmotaDumpBuilder.Build(0x0D010000, seed: 11);
        var device = TasmotaDumpBuilder.Build(0x0D010000, seed: 12);
        var image = restore.Open(uploaded, null);

        Assert.Null(restore.Differences(image, new DownloadedBackup(TasmotaDumpBuilder.AfterRestore(device, uploaded, 0x0D010000), "dmp", null, null)));
        Assert.Null(restore.Differences(image, new DownloadedBackup(TasmotaDumpBuilder.AfterRestore(device, uploaded, 0x0F000000), "dmp", null, null)));
        Assert.StartsWith("the device came back with other settings", restore.Differences(image, new DownloadedBackup(device, "dmp", null, null)), StringComparison.Ordinal);
    }
}
