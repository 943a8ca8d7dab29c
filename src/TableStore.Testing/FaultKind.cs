using TableStore.Core.IO;

namespace TableStore.Testing;

public enum FaultKind
{
    /// <summary>The call throws before touching the store: nothing happened.</summary>
    FailBefore,
    /// <summary>The call reaches the store, then throws: the caller cannot know it succeeded (a lost reply).</summary>
    FailAfter,
    /// <summary>The process dies at this call: it and every later call throw, nothing more is written.</summary>
    Crash,
    /// <summary>The call waits <see cref="FaultInjectingObjectStore.Delay"/> first, then runs normally.</summary>
    Delay,
}
