using Microsoft.Extensions.Logging;

namespace TableStore.Client;

/// <summary>
/// Keeps the last reason Orleans gave for a failed gateway connection (it logs them and retries for minutes), so a
/// connect that runs out of time can say what it saw: nothing listening, a handshake the other end broke off (another
/// cluster), or a handshake nobody answered (a paused or overloaded silo).
/// </summary>
internal sealed class ConnectionDiagnostics : ILoggerProvider
{
    private readonly List<(DateTime At, string Failure)> _failures = [];

    /// <summary>
    /// The most recent failure that ended before <paramref name="deadline"/>, minus a moment: the attempt a caller's
    /// deadline cut short says nothing about the server, the one before it does. Refusals are left out, since the
    /// caller connected just before starting the client.
    /// </summary>
    public string? FailureBefore(DateTime deadline)
    {
        lock (_failures)
        {
            var telling = _failures.Where(f => !f.Failure.Contains("refused", StringComparison.OrdinalIgnoreCase)).ToList();
            return telling.LastOrDefault(f => f.At < deadline - TimeSpan.FromMilliseconds(200)).Failure ?? telling.LastOrDefault().Failure;
        }
    }

    public ILogger CreateLogger(string categoryName) =>
        categoryName.StartsWith("Orleans.Runtime.Messaging.Connection", StringComparison.Ordinal) ? new Recorder(this) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose() { }

    private sealed class Recorder(ConnectionDiagnostics owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            // The whole chain: the outer exception says what timed out, the inner one how the connection ended.
            var messages = new List<string>();
            for (var e = exception; e is not null; e = e.InnerException) messages.Add(e.Message);
            var failure = messages.Count > 0 ? string.Join(" <- ", messages) : formatter(state, exception);
            lock (owner._failures)
            {
                if (owner._failures.Count >= 100) owner._failures.RemoveAt(0);
                owner._failures.Add((DateTime.UtcNow, failure));
            }
        }
    }
}
