namespace TasmoGuardian.Configuration;

/// <summary>The command line: <c>--options FILE</c>, <c>--data-dir DIR</c>, <c>--help</c>, <c>--version</c>, <c>--snapshot-database</c>, <c>--diff FILE_A FILE_B</c>.</summary>
internal sealed record CommandLine(GuardianPaths Paths, bool ShowHelp, bool ShowVersion, bool SnapshotDatabase = false)
{
    /// <summary>The two backups <c>--diff</c> compares; null without it.</summary>
    public (string A, string B)? Diff { get; init; }

    public const string Usage = """
        Tasmo Guardian: backs up and restores the configuration of Tasmota, WLED, Shelly, OpenDTU, AhoyDTU,
        AI-on-the-Edge, Awtrix 3 and openHASP devices, and shows it all in Home Assistant.

        Usage: TasmoGuardian [--options FILE] [--data-dir DIR]
               TasmoGuardian --snapshot-database [--data-dir DIR]
               TasmoGuardian --diff FILE_A FILE_B

          --options FILE        options as JSON (default /data/options.json; a missing file means all defaults)
          --data-dir DIR        where the database lives (default /data)
          --snapshot-database   write a consistent copy of the database for Home Assistant's backups and exit;
                                safe while the add-on runs
          --diff FILE_A FILE_B  print what differs between two backups of one device kind, one setting or file
                                a line ("~" changed, "+" only in B, "-" only in A); exit code 0 when the
                                configuration is the same, 1 when it differs, 2 when the files cannot be compared
          --help                show this text
          --version             show the version

        Environment: SUPERVISOR_TOKEN (set by Home Assistant) lets it ask the Supervisor for the MQTT broker
        when mqtt_host is empty; TZ sets the time zone used for file names and the schedule.
        """;

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var options = GuardianPaths.DefaultOptionsFile;
        var data = GuardianPaths.DefaultDataDirectory;
        var help = false;
        var version = false;
        var snapshot = false;
        (string, string)? diff = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--options":
                    options = Value(args, ref i);
                    break;
                case "--data-dir":
                    data = Value(args, ref i);
                    break;
                case "--help" or "-h":
                    help = true;
                    break;
                case "--version":
                    version = true;
                    break;
                case "--snapshot-database":
                    snapshot = true;
                    break;
                case "--diff":
                    if (i + 2 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal) || args[i + 2].StartsWith("--", StringComparison.Ordinal))
                    {
                        throw new OptionsException("Argument --diff needs two backup files. Try --help.");
                    }

                    diff = (args[i + 1], args[i + 2]);
                    i += 2;
                    break;
                default:
                    throw new OptionsException($"Unknown argument '{args[i]}'. Try --help.");
            }
        }

        return new CommandLine(new GuardianPaths(options, data), help, version, snapshot) { Diff = diff };
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new OptionsException($"Argument {args[i]} needs a value. Try --help.");
        }

        return args[++i];
    }
}
