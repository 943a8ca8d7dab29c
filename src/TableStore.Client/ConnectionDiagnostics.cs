using Microsoft.Extensions.Logging;

namespace TableStore.Client;

/// <summary>
/// Keeps the last reason Orleans gave for a failed gateway connection (it logs them and retries for minutes), so a
/// connect that runs out of time can say what it saw: nothing listening, a handshake the other end broke off (another
/// cluster), or a handshake nobody answered (a paused or overloaded silo).
/// </summary>
internal sealed class ConnectionDiagnostics : ILoggerProvider
{
    private readonly List<string> _failures = [];

    /// <summary>
    /// What the attempts ended with, the most telling first: a handshake the server broke off (another cluster)
    /// outranks a timeout, since the last attempt is often just the one the caller's deadline cut short.
    /// </summary>
    public string? Failure
    {
        get
        {
            lock (_failures)
                return _failures.FirstOrDefault(f => f.Contains("refused", StringComparison.OrdinalIgnoreCase))
                    ?? _failures.FirstOrDefault(f => f.Contains("terminated prematurely", StringComparison.OrdinalIgnoreCase) || f.Contains("Unexpected cluster id", StringComparison.Ordinal))
                    ?? _failures.LastOrDefault();
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
                owner._failures.Add(failure);
            }
        }
    }
}
