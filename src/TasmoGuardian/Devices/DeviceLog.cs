using Microsoft.Extensions.Logging;

namespace TasmoGuardian.Devices;

internal static partial class DeviceLog
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Loaded {Count} known devices from the database")]
    public static partial void Loaded(ILogger logger, int count);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "New device {Name} ({Mac}, {Type}) at {Address}")]
    public static partial void Discovered(ILogger logger, string name, string mac, string type, string address);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug, Message = "Device {Name} ({Mac}) updated: address {Address}, version {Version}")]
    public static partial void Updated(ILogger logger, string name, string mac, string address, string version);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Ignored a message on {Topic}: {Problem}")]
    public static partial void BadMessage(ILogger logger, string topic, string problem);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Debug, Message = "Ignored a message on {Topic}: {Problem}")]
    public static partial void BadMessageAgain(ILogger logger, string topic, string problem);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Device {Mac} turned Tasmota discovery off (SetOption19 1); it stays known")]
    public static partial void DiscoveryDisabled(ILogger logger, string mac);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Debug, Message = "Asked all Tasmota devices to report their status ({Reason})")]
    public static partial void StatusRequested(ILogger logger, string reason);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "Identified {Type} device at {Host}: {Name} ({Mac})")]
    public static partial void Identified(ILogger logger, string type, string host, string name, string mac);

    [LoggerMessage(EventId = 2009, Level = LogLevel.Warning, Message = "Cannot identify the {Type} device at {Host} yet: {Reason} Retrying in {DelaySeconds:0} s")]
    public static partial void IdentifyFailed(ILogger logger, string type, string host, string reason, double delaySeconds);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Error, Message = "Identified the {Type} device at {Host}, but cannot store it: {Reason} Retrying in {DelaySeconds:0} s")]
    public static partial void IdentifyNotStored(ILogger logger, string type, string host, string reason, double delaySeconds);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Error, Message = "Cannot store what {Topic} says about a device: {Reason}")]
    public static partial void CannotStore(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 2013, Level = LogLevel.Debug, Message = "Still cannot store what {Topic} says about a device: {Reason}")]
    public static partial void CannotStoreAgain(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Debug, Message = "Still cannot identify the {Type} device at {Host}: {Reason}")]
    public static partial void IdentifyFailedAgain(ILogger logger, string type, string host, string reason);

    [LoggerMessage(EventId = 2014, Level = LogLevel.Warning, Message = "{Name} ({Mac}) is stored with device type {Type}, which this version does not know (written by a newer version?); it is kept and left out of backups")]
    public static partial void Unsupported(ILogger logger, string name, string mac, string type);
}
