using System.ComponentModel;

namespace StatefulFunctions.Generation;

/// <summary>When a persisted value expires (the names match the StateFun remote protocol).</summary>
/// <remarks>For use by generated code: not meant to be called or implemented directly.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum ExpirationMode
{
    /// <summary>Never.</summary>
    None = 0,

    /// <summary>A fixed time after the value was last written.</summary>
    AfterWrite = 1,

    /// <summary>A fixed time after the function was last called.</summary>
    AfterCall = 2,
}
