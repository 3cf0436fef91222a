namespace TasmoGuardian.Testing;

/// <summary>Waits for a condition with a time limit, so tests never sleep a fixed time.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not true within {timeout.TotalSeconds:0.#} s: {describe()}");
            }

            await Task.Delay(10);
        }
    }

    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string what) => TrueAsync(condition, timeout, () => what);

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not true within {timeout.TotalSeconds:0.#} s: {describe()}");
            }

            await Task.Delay(20);
        }
    }
}
