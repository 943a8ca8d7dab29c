namespace TableStore.Service.Tests.Support;

/// <summary>Waiting for what a cluster reaches asynchronously: bounded, and a timeout says what was awaited.</summary>
internal static class Wait
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited {Patience.TotalSeconds} s for {what}.");
            await Task.Delay(50);
        }
    }

    /// <summary>Polls an asynchronous check (e.g. a scan) every quarter second, for at most <paramref name="patience"/> (default <see cref="Patience"/>).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? patience = null)
    {
        var limit = patience ?? Patience;
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Waited {limit.TotalSeconds} s for {what}.");
            await Task.Delay(250);
        }
    }
}
