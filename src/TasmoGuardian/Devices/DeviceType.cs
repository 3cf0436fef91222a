namespace TasmoGuardian.Devices;

/// <summary>The firmware family; the number is what the database's <c>devices.type</c> column holds (contract.md).</summary>
internal enum DeviceType
{
    Tasmota = 0,
    Wled = 1,
    ShellyGen1 = 2,

    /// <summary>Shelly Gen2, Gen3 and Gen4 (Plus, Pro, …): the RPC API.</summary>
    ShellyGen2 = 3,
    OpenDtu = 4,
    AhoyDtu = 5,
    AiOnTheEdge = 6,
    Awtrix = 7,
    OpenHasp = 8,
}
