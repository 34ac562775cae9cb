namespace StatefulFunctions.Analyzers;

/// <summary>Why a framework type can never be stored, which decides what SFN0022 advises instead.</summary>
internal enum UnstorableKind
{
    /// <summary>A stream: its bytes or a path can be stored.</summary>
    Stream,

    /// <summary>A text reader or writer: its text or a path can be stored.</summary>
    Text,

    /// <summary>A task: its result can be stored.</summary>
    Task,

    /// <summary>A live resource of the process (a thread, a token, a handle, a client): what recreates it can be stored.</summary>
    Resource,
}
