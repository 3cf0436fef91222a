using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace TasmoGuardian.Testing;

/// <summary>
/// The real program as a separate process (the published native program, or `dotnet TasmoGuardian.dll`), for what only
/// a process can show: SIGKILL, SIGTERM, environment variables, resident memory.
/// </summary>
public sealed class GuardianProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private GuardianProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Names the program the tests start; .ci/run points it at the Native AOT build the add-on image ships.</summary>
    public const string ProgramVariable = "TASMO_GUARDIAN_TEST_PROGRAM";

    /// <summary>
    /// The program named by <see cref="ProgramVariable"/>, else the built program next to the sources
    /// (src/TasmoGuardian/bin/&lt;configuration&gt;/net10.0), so tests/run.sh works without a publish.
    /// </summary>
    public static string ProgramPath
    {
        get
        {
            if (Environment.GetEnvironmentVariable(ProgramVariable) is { Length: > 0 } named)
            {
                return File.Exists(named) ? Path.GetFullPath(named) : throw new FileNotFoundException($"{ProgramVariable} names {named}, which does not exist.");
            }

            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            var root = RepositoryRoot();
            var path = Path.Combine(root, "src", "TasmoGuardian", "bin", configuration, "net10.0", "TasmoGuardian.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"Build the program first: {path} is missing.");
        }
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TasmoGuardian.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (TasmoGuardian.slnx) was not found above the test folder.");
    }

    public static GuardianProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null, string? program = null)
    {
        // A .dll runs on the shared runtime; anything else is the published native program.
        program ??= ProgramPath;
        var isDll = program.EndsWith(".dll", StringComparison.Ordinal);
        var info = new ProcessStartInfo(isDll ? "dotnet" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (isDll)
        {
            info.ArgumentList.Add(program);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Remove("SUPERVISOR_TOKEN");
        info.Environment.Remove("HASSIO_TOKEN");
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("The program did not start.");
        var guardian = new GuardianProcess(process);
        process.OutputDataReceived += (_, e) => guardian.Append(e.Data);
        process.ErrorDataReceived += (_, e) => guardian.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return guardian;
    }

    public Task WaitForOutputAsync(string text, TimeSpan timeout) =>
        Eventually.TrueAsync(() => Output.Contains(text, StringComparison.Ordinal) || HasExited && Output.Contains(text, StringComparison.Ordinal), timeout, () => $"'{text}' in the program's output:\n{Output}");

    /// <summary>SIGKILL: no clean-up, no DISCONNECT, as a power cut or the OOM killer would do.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM without waiting for the exit.</summary>
    public void RequestStop()
    {
        if (!_process.HasExited)
        {
            _ = SendSignal(_process.Id, 15);
        }
    }

    /// <summary>SIGTERM, as the Supervisor stops an add-on; waits for the exit.</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            _ = SendSignal(_process.Id, 15);
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>The file the kernel runs for this process (/proc/&lt;pid&gt;/exe): the native program, or dotnet.</summary>
    public string ExecutablePath() => new FileInfo($"/proc/{_process.Id}/exe").LinkTarget ?? throw new InvalidOperationException("The process has no executable link.");

    /// <summary>Resident memory in bytes, from /proc.</summary>
    public long ResidentBytes() => Status("VmRSS");

    /// <summary>The highest resident memory since the process started (the kernel's high-water mark), in bytes.</summary>
    public long PeakResidentBytes() => Status("VmHWM");

    /// <summary>CPU time the process has used (user and system), from /proc/&lt;pid&gt;/stat.</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{_process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

        // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second on Linux).
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    /// <summary>Resident memory split as the kernel sees it: anonymous (heaps), file-backed (code, assemblies), shared.</summary>
    public (long Anonymous, long File, long Shared) ResidentBreakdown() => (Status("RssAnon"), Status("RssFile"), Status("RssShmem"));

    private long Status(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
