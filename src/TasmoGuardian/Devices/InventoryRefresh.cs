namespace TasmoGuardian.Devices;

/// <summary>The hub's "Refresh devices" button: every source that can ask devices to report listens here.</summary>
internal sealed class InventoryRefresh
{
    public event EventHandler? Requested;

    public void Request() => Requested?.Invoke(this, EventArgs.Empty);
}
