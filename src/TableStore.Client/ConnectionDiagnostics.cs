using Microsoft.Extensions.Logging;

namespace TableStore.Client;

/// <summary>
/// Keeps the last reason Orleans gave for a failed gateway connection (it logs them and retries for minutes), so a
/// connect that runs out of time can say what it saw: nothing listening, a handshake the other end broke off (another
/// cluster), or a handshake nobody answered (a paused or overloaded silo).
/// </summary>
internal sealed class ConnectionDiagnostics : ILoggerProvider
{
    private string? _lastFailure;

    public string? LastFailure => Volatile.Read(ref _lastFailure);

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
            Volatile.Write(ref owner._lastFailure, messages.Count > 0 ? string.Join(" <- ", messages) : formatter(state, exception));
        }
    }
}
