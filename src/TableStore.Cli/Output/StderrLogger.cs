using Microsoft.Extensions.Logging;

namespace TableStore.Cli.Output;

/// <summary>
/// Warnings and errors of long-running commands (events skipped by an ingestion, say) as <c>warning: …</c> lines on
/// standard error, where the user sees them; below warning level only with TABLESTORE_DEBUG=1.
/// </summary>
internal sealed class StderrLogger(TextWriter stderr, bool debug) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= (debug ? LogLevel.Debug : LogLevel.Warning);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var level = logLevel switch { LogLevel.Warning => "warning", >= LogLevel.Error => "error", _ => "debug" };
        lock (stderr) stderr.WriteLine($"{level}: {formatter(state, exception)}");
    }
}
