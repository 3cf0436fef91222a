namespace TasmoGuardian.Devices;

/// <summary>What a problem the hub reports is about; each shows as its own attribute of the hub's problem sensor.</summary>
internal enum HubProblemKind
{
    /// <summary>The backups are not where the database says (backup_dir missing, unreadable, most files gone).</summary>
    Storage,

    /// <summary>A device given in the <c>devices</c> option answers, or not, but cannot be identified.</summary>
    Unidentified,

    /// <summary>A stored device of a type this version does not know (the database was written by a newer version).</summary>
    Unsupported,
}

/// <summary>One thing the hub's problem sensor reports besides the devices' own backup problems.</summary>
/// <param name="Subject">What it is about: backup_dir's path, a host, a device's MAC.</param>
/// <param name="Reason">A short sentence a user can act on.</param>
/// <param name="Name">A device's name, where there is one.</param>
/// <param name="Type">The device type as the user knows it (the option's name, or the stored number).</param>
internal sealed record HubProblem(HubProblemKind Kind, string Subject, string Reason, string? Name = null, string? Type = null);
