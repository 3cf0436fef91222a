using TasmoGuardian.Backups.Restore;

namespace TasmoGuardian.Tests.Backups;

public sealed class FirmwareVersionTests
{
    [Theory]
    [InlineData("13.2.0", "13.1.0", true)]
    [InlineData("13.10.0", "13.9.1", true)]
    [InlineData("13.1.0", "13.1.0", false)]
    [InlineData("13.1.0", "13.2.0", false)]
    [InlineData("15.0.1.3", "15.0.1", true)]
    [InlineData("15.0.1", "15.0.1.0", false)]
    [InlineData("14.0.0(tasmota)", "13.4.0", true)]
    [InlineData("0.15.0-b3", "0.15.0", false)]
    [InlineData("2412100", "2405180", true)]
    [InlineData("v16.0.1", "0.15.5", true)]
    [InlineData("unknown", "13.1.0", false)]
    public void IsNewer_ComparesTheNumbers(string candidate, string than, bool expected) =>
        Assert.Equal(expected, FirmwareVersion.IsNewer(candidate, than));
}
