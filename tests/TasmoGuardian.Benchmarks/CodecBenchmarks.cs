using TasmoGuardian.Kinds.Tasmota;
using BenchmarkDotNet.Attributes;
using TasmoGuardian.Backups;
using TasmoGuardian.Mqtt;
using TasmoGuardian.Mqtt.Packets;
using TasmoGuardian.Testing;

namespace TasmoGuardian.Benchmarks;

/// <summary>The hot pure parts: encoding and decoding a PUBLISH, validating a dump.</summary>
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private readonly byte[] _frame = PacketWriter.Encode(new PublishPacket("tasmota/discovery/A1B2C3D4E5F6/config", new byte[1200], MqttQualityOfService.AtLeastOnce, true, false, 7));
    private readonly byte[] _buffer = new byte[2048];
    private readonly byte[] _dump = TasmotaDumpBuilder.Build();
    private readonly PublishPacket _packet = new("tasmo_guardian/device/a1b2c3d4e5f6/state", new byte[200], MqttQualityOfService.AtLeastOnce, true, false, 9);

    [Benchmark]
    public int EncodePublish() => PacketWriter.Write(_packet, _buffer);

    [Benchmark]
    public object DecodePublish() => PacketReader.DecodeFrame(_frame);

    [Benchmark]
    public bool ValidateDump() => TasmotaDump.Validate(_dump).IsValid;
}
