using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TasmoGuardian.Devices;
using TasmoGuardian.Json;
using TasmoGuardian.Net;

namespace TasmoGuardian.Kinds.Shelly;

/// <summary>
/// A Gen2+ Shelly's restore, in the calls ShellyScanner makes (research §4.2), onto a device of the same model only
/// (<c>app</c> and <c>model</c> of Shelly.GetDeviceInfo, and the same profile). In this order, each written only where
/// the device differs from the backup: the component settings <see cref="ShellyComponents"/> names; every script by
/// name (created when the device lacks it, its code replaced in pieces, its enable state set); the KVS items whose
/// values differ; the schedules and webhooks (all deleted, then each created without its id, a schedule's calls to a
/// script pointed at the id the script has now); then <c>Shelly.Reboot</c>, always, so what is compared afterwards is
/// what the device keeps over a restart and enabled scripts start as they do at boot. Scripts, KVS items, schedules'
/// and webhooks' absence aside, what the device has and the backup has not is left alone. Network, login and passwords
/// are never written: the device keeps its own.
/// </summary>
internal sealed class ShellyRestore : RestoreProtocol<ShellyBackupContent>
{
    /// <summary>
    /// Script code goes in pieces of at most this many bytes: every known uploader sends 1024 characters (ALLTERCO's
    /// put_script.py and VS Code extension, ShellyScanner); the firmware's own limit is not documented.
    /// </summary>
    public const int ChunkBytes = 1024;

    private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ShellyGen2Kind _kind;
    private readonly ShellyRpc _rpc;

    public ShellyRestore(ShellyGen2Kind kind, ShellyRpc rpc)
    {
        _kind = kind;
        _rpc = rpc;
    }

    /// <summary>
    /// The pieces a script's code is sent in, as (start, length) in its UTF-8 bytes: at most <see cref="ChunkBytes"/>
    /// each, never between the bytes of one character (a piece travels as JSON text); one empty piece for empty code.
    /// </summary>
    public static IEnumerable<(int Start, int Length)> Chunks(byte[] code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (code.Length == 0)
        {
            yield return (0, 0);
            yield break;
        }

        for (var start = 0; start < code.Length;)
        {
            var end = Math.Min(start + ChunkBytes, code.Length);
            while (end < code.Length && end > start + 1 && (code[end] & 0xC0) == 0x80)
            {
                end--;
            }

            yield return (start, end - start);
            start = end;
        }
    }

    public override RestoreImage<ShellyBackupContent> Open(byte[] stored, string? recordedPlatform)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var content = ShellyBackupContent.Read(stored, "the stored backup's");
        var version = ShellyInfo.Gen2Version(JsonRead.String(content.DeviceInfo, "ver"), JsonRead.String(content.DeviceInfo, "fw_id"));

        // The model stands where other kinds have the chip: it lets the backup go onto a replacement, which Refuses
        // then holds to the same model.
        return new RestoreImage<ShellyBackupContent>(stored, content.App ?? content.Model, version, content);
    }

    public override async Task<DeviceProbe> ProbeAsync(DeviceAccess access, CancellationToken cancellationToken)
    {
        var answer = await _rpc.GetAsync(access, "Shelly.GetDeviceInfo", cancellationToken, "mac");
        var info = ShellyInfo.Parse(answer, "Shelly.GetDeviceInfo", out var problem) ?? throw DeviceException.Of(FailureKind.NotADump, problem!);

        // Shelly.GetStatus needs the password where Shelly.GetDeviceInfo does not: a wrong one shows here, before anything is sent.
        using var status = JsonDocument.Parse(await _rpc.GetAsync(access, "Shelly.GetStatus", cancellationToken, "sys"));
        var uptime = JsonRead.Child(status.RootElement, "sys") is { } sys ? JsonRead.Int64(sys, "uptime") : null;
        return new DeviceProbe(info.Version) { Uptime = uptime is { } seconds ? TimeSpan.FromSeconds(seconds) : null };
    }

    public override string? Refuses(RestoreImage<ShellyBackupContent> image, DownloadedBackup current)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(current);
        var backup = image.Parsed;
        var device = ShellyBackupContent.Read(current.Content, "the device's current");
        if (!SameModel(backup, device))
        {
            return $"the backup is from a Shelly {backup.ModelText}, this device is a Shelly {device.ModelText}; a Shelly backup goes back only onto the same model, whose components and settings it holds";
        }

        if (backup.Profile is { } made && device.Profile is { } now && made != now)
        {
            return $"the backup was made in the device's {made} profile and it is in its {now} profile now; set it to the {made} profile in its web page (Settings, Device profile) first";
        }

        var missing = ShellyComponents.Restorable(backup.Config).Select(c => c.Key).Where(key => !device.Config.TryGetProperty(key, out _)).ToList();
        if (missing.Count > 0)
        {
            return $"the device has no {string.Join(", ", missing)}, which the backup holds settings for; a restore does not create components (virtual components, add-on sensors, BTHome devices): add them on the device first";
        }

        foreach (var (part, inBackup, onDevice) in new[] { ("KVS items", backup.Kvs is not null, device.Kvs is not null), ("schedules", backup.Jobs is not null, device.Jobs is not null), ("webhooks", backup.Hooks is not null, device.Hooks is not null) })
        {
            if (inBackup && !onDevice)
            {
                return $"the backup holds {part}, which the device has no place for";
            }
        }

        return null;
    }

    public override async Task UploadAsync(DeviceAccess access, RestoreImage<ShellyBackupContent> image, DeviceProbe before, Func<CancellationToken, Task> restarted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        access = ShellyRpc.Digest(access);
        var backup = image.Parsed;
        var device = ShellyBackupContent.Read((await _kind.DownloadAsync(access, cancellationToken)).Zip, "the device's current");
        var writes = new Writes(_rpc, access);
        foreach (var component in ShellyComponents.Restorable(backup.Config))
        {
            if (device.Config.TryGetProperty(component.Key, out var now) && JsonCompare.FirstMissing(component.Config, Raw(now), exact: false) is null)
            {
                continue;
            }

            // Any answer may say restart_required; the restart at the end covers it.
            await writes.CallAsync(component.Method, component.Parameters(), $"the {component.Key} settings", cancellationToken);
        }

        var scriptIds = await RestoreScriptsAsync(writes, access, backup, device, cancellationToken);
        if (backup.Kvs is { } items)
        {
            var have = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var (key, value) in device.Kvs ?? [])
            {
                have[key] = value;
            }

            foreach (var (key, value) in items)
            {
                if (!have.TryGetValue(key, out var now) || !JsonElement.DeepEquals(now, value))
                {
                    await writes.CallAsync("KVS.Set", Json(w => { w.WriteString("key", key); w.WritePropertyName("value"); value.WriteTo(w); }), $"the KVS item `{DeviceText.Shorten(key, 42)}`", cancellationToken);
                }
            }
        }

        await RestoreListAsync(writes, "Schedule", backup.Jobs, device.Jobs, scriptIds, "the schedules", cancellationToken);
        await RestoreListAsync(writes, "Webhook", backup.Hooks, device.Hooks, null, "the webhooks", cancellationToken);
        await writes.RebootAsync(cancellationToken);
    }

    public override string? Differences(RestoreImage<ShellyBackupContent> image, DownloadedBackup after)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(after);
        var backup = image.Parsed;
        var device = ShellyBackupContent.Read(after.Content, "the device's restored");

        // Field by field, what was written; what the device fills in itself (cfg_rev, mac, fw_id, ids) never was.
        foreach (var component in ShellyComponents.Restorable(backup.Config))
        {
            if (!device.Config.TryGetProperty(component.Key, out var now))
            {
                return $"the device came back without its {component.Key} settings";
            }

            if (JsonCompare.FirstMissing(component.Config, Raw(now), exact: false) is { } difference)
            {
                return $"the device came back with other {component.Key} settings than the backup's ({difference})";
            }
        }

        var scriptIds = new Dictionary<long, long>();
        var unmatched = device.Scripts.ToList();
        foreach (var script in backup.Scripts)
        {
            var name = DeviceText.Shorten(script.Name, 40);
            var match = unmatched.Find(s => s.Name == script.Name);
            if (match is null)
            {
                return $"the device came back without the script `{name}`";
            }

            unmatched.Remove(match);
            scriptIds[script.Id] = match.Id;
            if (!match.Code.AsSpan().SequenceEqual(script.Code))
            {
                return $"the device came back with another code of the script `{name}` than the backup's ({match.Code.Length} bytes, the backup's {script.Code.Length})";
            }

            if (match.Enable != script.Enable)
            {
                return $"the device came back with the script `{name}` {(match.Enable ? "enabled" : "disabled")}, the backup has it {(script.Enable ? "enabled" : "disabled")}";
            }
        }

        foreach (var (key, value) in backup.Kvs ?? [])
        {
            var now = (device.Kvs ?? []).LastOrDefault(i => i.Key == key);
            if (now.Key is null || !JsonElement.DeepEquals(now.Value, value))
            {
                return $"the device came back with {(now.Key is null ? "no" : "another value of the")} KVS item `{DeviceText.Shorten(key, 42)}`{(now.Key is null ? "" : " than the backup's")}";
            }
        }

        if (backup.Jobs is { } jobs && FirstDifferentItem([.. jobs.Select(j => ForCreate(j, scriptIds))], device.Jobs ?? []) is { } job)
        {
            return $"the device came back with other schedules than the backup's ({job})";
        }

        if (backup.Hooks is { } hooks && FirstDifferentItem([.. hooks.Select(h => ForCreate(h, null))], device.Hooks ?? []) is { } hook)
        {
            return $"the device came back with other webhooks than the backup's ({hook})";
        }

        return null;
    }

    private static bool SameModel(ShellyBackupContent backup, ShellyBackupContent device)
    {
        var apps = backup.App is not null && device.App is not null;
        var models = backup.Model is not null && device.Model is not null;
        return (apps || models) && (!apps || backup.App == device.App) && (!models || backup.Model == device.Model);
    }

    private static byte[] Raw(JsonElement element) => Encoding.UTF8.GetBytes(element.GetRawText());

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Relaxed))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// A schedule job or webhook as <c>Create</c> takes it: without the <c>id</c> the device gives it, and a job's calls to
    /// <c>Script.*</c> pointed at the id that script has on the device now (a device reset and restored numbers its
    /// scripts afresh).
    /// </summary>
    private static byte[] ForCreate(JsonElement item, IReadOnlyDictionary<long, long>? scriptIds) => Json(writer =>
    {
        foreach (var property in item.EnumerateObject())
        {
            if (property.Name == "id")
            {
                continue;
            }

            if (property.Name == "calls" && property.Value.ValueKind == JsonValueKind.Array && scriptIds is not null)
            {
                writer.WriteStartArray("calls");
                foreach (var call in property.Value.EnumerateArray())
                {
                    WriteCall(writer, call, scriptIds);
                }

                writer.WriteEndArray();
            }
            else
            {
                property.WriteTo(writer);
            }
        }
    });

    private static void WriteCall(Utf8JsonWriter writer, JsonElement call, IReadOnlyDictionary<long, long> scriptIds)
    {
        var parameters = JsonRead.Child(call, "params");
        if (JsonRead.String(call, "method")?.StartsWith("Script.", StringComparison.OrdinalIgnoreCase) != true
            || parameters is not { } p || JsonRead.Int64(p, "id") is not { } id || !scriptIds.TryGetValue(id, out var now))
        {
            call.WriteTo(writer);
            return;
        }

        writer.WriteStartObject();
        foreach (var property in call.EnumerateObject())
        {
            if (property.Name != "params")
            {
                property.WriteTo(writer);
                continue;
            }

            writer.WriteStartObject("params");
            foreach (var parameter in p.EnumerateObject())
            {
                if (parameter.Name == "id")
                {
                    writer.WriteNumber("id", now);
                }
                else
                {
                    parameter.WriteTo(writer);
                }
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>The first place where the device's list differs from what was created; its own ids and any fields it adds do not count.</summary>
    private static string? FirstDifferentItem(IReadOnlyList<byte[]> wanted, IReadOnlyList<JsonElement> now)
    {
        if (wanted.Count != now.Count)
        {
            return $"{now.Count} instead of {wanted.Count}";
        }

        for (var i = 0; i < wanted.Count; i++)
        {
            if (JsonCompare.FirstMissing(wanted[i], Raw(now[i]), exact: false) is { } difference)
            {
                return $"number {i + 1}: {difference}";
            }
        }

        return null;
    }

    private static async Task RestoreListAsync(Writes writes, string service, IReadOnlyList<JsonElement>? wanted, IReadOnlyList<JsonElement>? now, IReadOnlyDictionary<long, long>? scriptIds, string what, CancellationToken cancellationToken)
    {
        if (wanted is null || now is null)
        {
            return;
        }

        var create = wanted.Select(item => ForCreate(item, scriptIds)).ToList();
        if (FirstDifferentItem(create, now) is null)
        {
            return;
        }

        await writes.CallAsync($"{service}.DeleteAll", "{}"u8.ToArray(), what, cancellationToken);
        foreach (var item in create)
        {
            await writes.CallAsync($"{service}.Create", item, what, cancellationToken);
        }
    }

    /// <summary>Every script of the backup onto the device by name; returns each backup script's id with the id it has on the device.</summary>
    private async Task<Dictionary<long, long>> RestoreScriptsAsync(Writes writes, DeviceAccess access, ShellyBackupContent backup, ShellyBackupContent device, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<long, long>();
        if (backup.Scripts.Count == 0)
        {
            return ids;
        }

        using var list = JsonDocument.Parse(await _rpc.GetAsync(access, "Script.List", cancellationToken, "scripts"));
        var unmatched = new List<(long Id, string? Name, bool Enable, bool Running)>();
        foreach (var entry in list.RootElement.GetProperty("scripts").EnumerateArray())
        {
            if (JsonRead.Int64(entry, "id") is { } id)
            {
                unmatched.Add((id, JsonRead.String(entry, "name"), IsTrue(entry, "enable"), IsTrue(entry, "running")));
            }
        }

        foreach (var script in backup.Scripts)
        {
            var what = $"the script `{DeviceText.Shorten(script.Name, 40)}`";
            var index = unmatched.FindIndex(s => s.Name == script.Name);
            long id;
            var (enabled, running) = (false, false);
            byte[]? code = null;
            if (index < 0)
            {
                var created = await writes.CallAsync("Script.Create", Json(w => w.WriteString("name", script.Name)), what, cancellationToken);
                id = JsonRead.Int64(created, "id") ?? throw writes.Failed(new DeviceFailure(FailureKind.RestoreUnknown, "Script.Create answered without the new script's id"), what);
            }
            else
            {
                (id, _, enabled, running) = unmatched[index];
                unmatched.RemoveAt(index);
                code = device.Scripts.FirstOrDefault(s => s.Id == id)?.Code;
            }

            ids[script.Id] = id;
            if (code is null || !code.AsSpan().SequenceEqual(script.Code))
            {
                if (running)
                {
                    // PutCode takes the code of a stopped script only (a device-run report); an enabled one starts
                    // again at the restart that ends the restore.
                    await writes.CallAsync("Script.Stop", Json(w => w.WriteNumber("id", id)), what, cancellationToken);
                }

                await PutCodeAsync(writes, id, script, what, cancellationToken);
            }

            if (enabled != script.Enable)
            {
                await writes.CallAsync("Script.SetConfig", Json(w => { w.WriteNumber("id", id); w.WriteStartObject("config"); w.WriteBoolean("enable", script.Enable); w.WriteEndObject(); }), what, cancellationToken);
            }
        }

        return ids;
    }

    private static async Task PutCodeAsync(Writes writes, long id, ShellyBackupContent.Script script, string what, CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var (start, length) in Chunks(script.Code))
        {
            var piece = Encoding.UTF8.GetString(script.Code, start, length);
            var result = await writes.CallAsync("Script.PutCode", Json(w => { w.WriteNumber("id", id); w.WriteString("code", piece); w.WriteBoolean("append", start > 0); }), what, cancellationToken);
            sent += length;

            // "len" is the script's whole length after the call (fw 2.0.0: 17 475 after 18 pieces, the last of 67); one
            // uploader reads it as the piece's length, which the first piece cannot tell apart. Either is taken, and the
            // comparison after the restart checks every byte; any other number means the device kept less.
            if (JsonRead.Int64(result, "len") is { } len && len != sent && len != length)
            {
                throw writes.Failed(new DeviceFailure(FailureKind.RestoreRejected, $"the device kept {len} bytes of the script where {sent} were sent"), what);
            }
        }
    }

    private static bool IsTrue(JsonElement element, string name) => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>The writes of one restore, so a failure can say whether anything was changed before it.</summary>
    private sealed class Writes(ShellyRpc rpc, DeviceAccess access)
    {
        private bool _any;

        public async Task<JsonElement> CallAsync(string method, byte[] parameters, string what, CancellationToken cancellationToken)
        {
            try
            {
                var result = await rpc.CallAsync(access, method, parameters, cancellationToken);
                _any = true;
                return result;
            }
            catch (DeviceException ex)
            {
                throw Failed(ex.Failure, what);
            }
        }

        /// <summary>Ends the restore: everything is written; a device that does not take the restart is restarted by hand.</summary>
        public async Task RebootAsync(CancellationToken cancellationToken)
        {
            try
            {
                await rpc.CallAsync(access, "Shelly.Reboot", "{}"u8.ToArray(), cancellationToken);
            }
            catch (DeviceException ex)
            {
                throw DeviceException.Of(FailureKind.RestoreUnknown, $"everything is restored, but the device did not take Shelly.Reboot ({ex.Failure.Reason}); restart it by hand");
            }
        }

        /// <summary>A failed write, saying what it was for and what is changed already.</summary>
        public DeviceException Failed(DeviceFailure failure, string what)
        {
            var (kind, changed) = failure.Kind switch
            {
                FailureKind.WrongPassword or FailureKind.RestoreRejected => (failure.Kind, _any
                    ? "what came before it is already restored: restore the pre-restore backup to undo it"
                    : "nothing was changed"),
                _ => (FailureKind.RestoreUnknown, "whether the device took it is not known: check it, or restore the pre-restore backup"),
            };
            return DeviceException.Of(kind, $"{failure.Reason}, while restoring {what} ({changed})");
        }
    }
}
