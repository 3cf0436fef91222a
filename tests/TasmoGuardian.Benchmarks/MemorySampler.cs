using System.Globalization;
using TasmoGuardian.Testing;

namespace TasmoGuardian.Benchmarks;

/// <summary>Reads the program's resident memory every 20 ms and keeps the highest value per phase, to tell where a peak comes from.</summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly GuardianProcess _process;
    private readonly Dictionary<string, long> _highest = [];
    private readonly List<string> _order = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private string _phase = "start-up";

    public MemorySampler(GuardianProcess process)
    {
        _process = process;
        _order.Add(_phase);
        _loop = Task.Run(SampleAsync);
    }

    public void Phase(string name)
    {
        lock (_highest)
        {
            _phase = name;
            _order.Add(name);
        }
    }

    public string Report()
    {
        lock (_highest)
        {
            return string.Join("; ", _order.Where(_highest.ContainsKey).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p} {_highest[p] / 1048576.0:0.0} MiB")));
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _loop.Wait();
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var rss = _process.ResidentBytes();
                lock (_highest)
                {
                    _highest[_phase] = Math.Max(_highest.GetValueOrDefault(_phase), rss);
                }
            }
            catch (IOException)
            {
                return;
            }

            await Task.Delay(20);
        }
    }
}
