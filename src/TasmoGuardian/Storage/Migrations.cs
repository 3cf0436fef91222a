namespace TasmoGuardian.Storage;

/// <summary>
/// The schema, one step per version; <c>PRAGMA user_version</c> records the last step applied. Steps are only ever
/// appended: a database from any older release is carried forward one step at a time. Steps only add tables and
/// columns the older code does not need to write (nullable, or with a default): after a downgrade the older version
/// works on the newer file as it is (Database.MigrateAsync checks that every column it uses is there).
/// </summary>
internal static class Migrations
{
    public static readonly IReadOnlyList<string> Steps =
    [
        // 1: the tables the contract promises.
        """
        CREATE TABLE devices (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            mac         TEXT    NOT NULL UNIQUE,
            name        TEXT    NOT NULL,
            ip          TEXT,
            type        INTEGER NOT NULL DEFAULT 0,
            version     TEXT,
            lastbackup  TEXT,
            noofbackups INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE backups (
            id        INTEGER PRIMARY KEY AUTOINCREMENT,
            device_id INTEGER NOT NULL REFERENCES devices(id),
            filename  TEXT    NOT NULL,
            size      INTEGER NOT NULL,
            sha256    TEXT    NOT NULL,
            version   TEXT,
            created   TEXT    NOT NULL
        );
        CREATE INDEX backups_by_device ON backups(device_id, created);
        """,

        // 2: what the add-on needs beyond the contract: naming, topics, results, Home Assistant state, run history.
        """
        ALTER TABLE devices ADD COLUMN name_source     INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE devices ADD COLUMN configured_host TEXT;
        ALTER TABLE devices ADD COLUMN model           TEXT;
        ALTER TABLE devices ADD COLUMN hostname        TEXT;
        ALTER TABLE devices ADD COLUMN mqtt_topic      TEXT;
        ALTER TABLE devices ADD COLUMN full_topic      TEXT;
        ALTER TABLE devices ADD COLUMN prefixes        TEXT;
        ALTER TABLE devices ADD COLUMN ha_hidden       INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE devices ADD COLUMN last_result     INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE devices ADD COLUMN last_reason     TEXT;
        ALTER TABLE devices ADD COLUMN last_attempt    TEXT;
        ALTER TABLE devices ADD COLUMN last_size       INTEGER;
        CREATE UNIQUE INDEX backups_by_filename ON backups(filename);
        CREATE TABLE runs (
            id        INTEGER PRIMARY KEY AUTOINCREMENT,
            trigger   TEXT    NOT NULL,
            started   TEXT    NOT NULL,
            finished  TEXT    NOT NULL,
            backed_up INTEGER NOT NULL,
            skipped   INTEGER NOT NULL,
            failed    INTEGER NOT NULL
        );
        UPDATE devices SET last_result = 1 WHERE lastbackup IS NOT NULL;
        """,

        // 3 (0.2.0): the "Include in backup all" switch, and when a device was first seen (for a never backed up
        // device's problem sensor; devices from before know no better date than their first backup or the upgrade).
        """
        ALTER TABLE devices ADD COLUMN include    INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE devices ADD COLUMN first_seen TEXT;
        UPDATE devices SET first_seen = COALESCE(
            (SELECT MIN(created) FROM backups b WHERE b.device_id = devices.id),
            strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
        """,

        // 4 (0.2.0): each kind keeps what it needs about a device in its own form; the table no longer knows Tasmota's
        // topic layout. Tasmota's becomes "topic, FullTopic, the three prefixes", one per line (TasmotaTopic.Encode).
        """
        ALTER TABLE devices ADD COLUMN kind_data TEXT;
        UPDATE devices SET kind_data = mqtt_topic || char(10) || full_topic || char(10)
            || COALESCE(prefixes, 'cmnd' || char(10) || 'stat' || char(10) || 'tele')
        WHERE mqtt_topic IS NOT NULL AND full_topic IS NOT NULL;
        ALTER TABLE devices DROP COLUMN mqtt_topic;
        ALTER TABLE devices DROP COLUMN full_topic;
        ALTER TABLE devices DROP COLUMN prefixes;
        """,

        // 5 (0.3.0): restore. What chip a backup was made on (a restore must fit it), the Tasmota user files that
        // belong to a .dmp, and the history of restores. A restore whose finished is NULL was cut off (see RestoreStore).
        """
        ALTER TABLE backups ADD COLUMN platform       TEXT;
        ALTER TABLE backups ADD COLUMN files_filename TEXT;
        ALTER TABLE devices ADD COLUMN platform       TEXT;
        CREATE TABLE restores (
            id                    INTEGER PRIMARY KEY AUTOINCREMENT,
            device_id             INTEGER NOT NULL REFERENCES devices(id),
            backup_id             INTEGER,
            backup_filename       TEXT    NOT NULL,
            started               TEXT    NOT NULL,
            finished              TEXT,
            result                TEXT,
            reason                TEXT,
            stage                 TEXT    NOT NULL,
            pre_restore_backup_id INTEGER,
            pre_restore_filename  TEXT
        );
        CREATE INDEX restores_by_device ON restores(device_id, started);
        """,

        // 6 (0.4.0): what changed. A backup that found the configuration unchanged and kept no file (store_unchanged
        // off) confirms the newest row instead, which keeps the device's lastbackup moving; the device's last comparison
        // and the devices whose configuration changed in a run, for Home Assistant after a restart.
        """
        ALTER TABLE backups ADD COLUMN confirmed       TEXT;
        ALTER TABLE devices ADD COLUMN last_comparison TEXT;
        ALTER TABLE runs    ADD COLUMN changed_devices TEXT;
        """,
    ];

    public static int LatestVersion => Steps.Count;
}
