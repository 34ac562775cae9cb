namespace StatefulFunctions.Generators;

/// <summary>Names of the pipeline steps, so incremental tests can check each one is cached.</summary>
public static class TrackingNames
{
    /// <summary>Each <c>[StatefulFunction]</c> class parsed into a spec (null when skipped).</summary>
    public const string ParsedFunctions = nameof(ParsedFunctions);

    /// <summary>The parsed specs of the functions that get generated code.</summary>
    public const string Functions = nameof(Functions);

    /// <summary>All function specs of the assembly, sorted.</summary>
    public const string AllFunctions = nameof(AllFunctions);

    /// <summary>The assembly name.</summary>
    public const string AssemblyName = nameof(AssemblyName);

    /// <summary>The registry spec: namespace plus all functions.</summary>
    public const string Registry = nameof(Registry);
}
