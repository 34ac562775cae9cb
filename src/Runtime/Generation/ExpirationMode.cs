namespace StatefulFunctions.Generation;

/// <summary>When a persisted value expires (the names match the StateFun remote protocol).</summary>
public enum ExpirationMode
{
    /// <summary>Never.</summary>
    None = 0,

    /// <summary>A fixed time after the value was last written.</summary>
    AfterWrite = 1,

    /// <summary>A fixed time after the function was last called.</summary>
    AfterCall = 2,
}
