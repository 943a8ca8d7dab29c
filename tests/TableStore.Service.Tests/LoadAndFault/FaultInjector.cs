using System.Diagnostics;
using TableStore.Core.Tests.Support;
using TableStore.Service.Tests.Support;

namespace TableStore.Service.Tests.LoadAndFault;

/// <summary>
/// The faults of the load test, each on real processes and the real store protocol: <c>kill -9</c> of a silo (a
/// replacement joins), SIGSTOP of a silo for longer than the cluster takes to declare it dead, then SIGCONT; busy
/// loops that take every core; and a store that answers slowly or with errors (the HTTP fault proxy in front of Azurite).
/// </summary>
internal sealed class FaultInjector(ProcessCluster cluster, HttpFaultProxy store, Func<Task<ProcessCluster.Silo>> startSilo, Random random, Action<string> log)
{
    /// <summary>The longest pause: Orleans' default membership (missed probes, then votes) declares a silo dead well within it.</summary>
    public static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(120);

    private const int DeadStatus = 6; // Orleans' SiloStatus.Dead

    private readonly Dictionary<string, int> _injected = [];

    public IReadOnlyDictionary<string, int> Injected
    {
        get
        {
            var all = new Dictionary<string, int>(_injected);
            foreach (var (kind, n) in store.Injected) all["store: " + kind] = n;
            return all;
        }
    }

    /// <summary>The silos that run (not killed, not found dead after a pause).</summary>
    public List<ProcessCluster.Silo> Live { get; } = [];

    /// <summary>kill -9 of <paramref name="victim"/>, then a new silo in its place.</summary>
    public async Task KillAsync(ProcessCluster.Silo victim)
    {
        log($"kill -9 silo {victim.Gateway}");
        cluster.KillAbruptly(victim);
        Live.Remove(victim);
        Count("kill -9 of a silo");
        Live.Add(await startSilo());
    }

    /// <summary>
    /// SIGSTOP until the other silos have declared it dead in the membership table (at most
    /// <see cref="MaxPause"/>), a little longer, then SIGCONT. A silo that wakes up dead stops itself and a new one
    /// takes its place; one still alive is kept (it rejoined, or was never declared dead).
    /// </summary>
    public async Task PauseAsync(ProcessCluster.Silo victim)
    {
        log($"SIGSTOP silo {victim.Gateway}");
        await Posix.StopAsync(victim.Process.Id);
        var paused = Stopwatch.StartNew();
        int? status = null;
        while (paused.Elapsed < MaxPause && (status = await cluster.MembershipStatusAsync(victim)) != DeadStatus) await Task.Delay(500);
        if (status == DeadStatus)
        {
            log($"silo {victim.Gateway} declared dead after {paused.Elapsed.TotalSeconds:0} s paused");
            Count("SIGSTOP past the membership timeout (declared dead)");
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        else
        {
            log($"silo {victim.Gateway} still not declared dead after {paused.Elapsed.TotalSeconds:0} s paused (status {status})");
            Count("SIGSTOP, not declared dead");
        }
        Posix.Kill(victim.Process.Id, Posix.SIGCONT);
        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await victim.Process.WaitForExitAsync(exited.Token);
            log($"silo {victim.Gateway} stopped itself after SIGCONT (exit code {victim.Process.ExitCode}); starting another");
            Live.Remove(victim);
            Live.Add(await startSilo());
        }
        catch (OperationCanceledException)
        {
            log($"silo {victim.Gateway} carries on after SIGCONT (membership status {await cluster.MembershipStatusAsync(victim)})");
        }
    }

    /// <summary>One busy loop per core, at normal priority, for <paramref name="duration"/>.</summary>
    public async Task SaturateCpuAsync(TimeSpan duration)
    {
        log($"{Environment.ProcessorCount} busy loops for {duration.TotalSeconds} s");
        Count("CPU saturated (busy loop per core)");
        var hogs = Enumerable.Range(0, Environment.ProcessorCount)
            .Select(_ => Process.Start(new ProcessStartInfo("sh", ["-c", "while :; do :; done"]) { UseShellExecute = false })!).ToList();
        try { await Task.Delay(duration); }
        finally
        {
            foreach (var h in hogs)
            {
                h.Kill();
                await h.WaitForExitAsync();
                h.Dispose();
            }
        }
    }

    /// <summary>
    /// For <paramref name="duration"/> a share of the store's requests fail (500, 503 throttling) or are slow
    /// (0.2–1.5 s); the silos' store clients retry them.
    /// </summary>
    public async Task DegradeStoreAsync(TimeSpan duration, double failing, double slow)
    {
        log($"store degraded for {duration.TotalSeconds} s: {failing:P0} of requests fail, {slow:P0} are slow");
        Count("store degraded (errors and latency)");
        var seed = random.Next();
        store.Policy = request =>
        {
            // Requests arrive concurrently: each decides from its own sequence number, not a shared Random.
            var r = new Random(HashCode.Combine(seed, request.Sequence)).NextDouble();
            if (r < failing / 2) return HttpFault.InternalError();
            if (r < failing) return HttpFault.AzureServerBusy();
            if (r < failing + slow) return new HttpFault.Delay(TimeSpan.FromMilliseconds(200 + 1300 * (r - failing) / slow));
            return HttpFault.None;
        };
        try { await Task.Delay(duration); }
        finally { store.Policy = _ => HttpFault.None; }
    }

    private void Count(string kind)
    {
        lock (_injected) _injected[kind] = _injected.GetValueOrDefault(kind) + 1;
    }
}
