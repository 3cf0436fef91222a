using TasmoGuardian.Backups;
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

    // Success, in English and German; the reload script alone is enough too (any language).
    [InlineData("Successful", null, "Accepted", 0)]
    [InlineData("erfolgreich", null, "Accepted", 0)]
    [InlineData("Sikeres", null, "Accepted", 0)]

    // Each upload error of kUploadErrors, English (en_GB.h) and German (de_DE.h).
    [InlineData("Failed", "No file selected", "Rejected", 1)]
    [InlineData("Failed", "Not enough space", "Rejected", 2)]
    [InlineData("Failed", "Magic byte is not 0xE9", "Rejected", 3)]
    [InlineData("Failed", "Program flash size is larger than real flash size", "Rejected", 4)]
    [InlineData("Failed", "Upload buffer miscompare", "Rejected", 5)]
    [InlineData("Failed", "Upload failed. Enable logging 3", "Rejected", 6)]
    [InlineData("Failed", "Upload aborted", "Rejected", 7)]
    [InlineData("Failed", "File invalid", "Rejected", 8)]
    [InlineData("Failed", "File too large", "Rejected", 9)]
    [InlineData("Failed", "Upload error code 12", "Rejected", 12)]
    [InlineData("fehlgeschlagen", "keine Datei ausgewählt", "Rejected", 1)]
    [InlineData("fehlgeschlagen", "ungenügend Speicherplatz", "Rejected", 2)]
    [InlineData("fehlgeschlagen", "magic byte ist nicht 0xE9", "Rejected", 3)]
    [InlineData("fehlgeschlagen", "Upload abgebrochen", "Rejected", 7)]
    [InlineData("fehlgeschlagen", "Datei ungültig", "Rejected", 8)]
    [InlineData("fehlgeschlagen", "Datei zu groß", "Rejected", 9)]
    [InlineData("fehlgeschlagen", "Upload Fehler Nummer 10", "Rejected", 10)]
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
        foreach (var (_, offset, length) in TasmotaSettings.SelfChangingFields)
        {
            after.AsSpan(offset, length).Fill(0xAB);
        }

        Assert.Empty(TasmotaSettings.DifferingFields(before, after));

        after[0x800] ^= 1;
        Assert.Equal(["0x800"], TasmotaSettings.DifferingFields(before, after));
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
