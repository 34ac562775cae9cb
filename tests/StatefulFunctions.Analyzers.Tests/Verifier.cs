using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace StatefulFunctions.Analyzers.Tests;

/// <summary>Runs an analyzer (and optionally a code fix) over sources with diagnostic markup.</summary>
internal static class Verifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public const string Usings = "using System;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing StatefulFunctions;\n\n";

    public static Task VerifyAnalyzerAsync(string source) => VerifyAnalyzerAsync(source, []);

    /// <summary>
    /// As <see cref="VerifyAnalyzerAsync(string)"/>, with extra references (e.g. another compiled assembly)
    /// and diagnostics expected at <c>{|#n:…|}</c> locations.
    /// </summary>
    public static Task VerifyAnalyzerAsync(string source, IEnumerable<MetadataReference> additionalReferences, params DiagnosticResult[] expected)
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier> { TestCode = Usings + source };
        TestReferences.Apply(test.TestState, out var referenceAssemblies);
        test.TestState.AdditionalReferences.AddRange(additionalReferences);
        test.ExpectedDiagnostics.AddRange(expected);
        test.ReferenceAssemblies = referenceAssemblies;
        return test.RunAsync(CancellationToken.None);
    }

    public static Task VerifyCodeFixAsync(string source, string fixedSource)
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            TestCode = Usings + source,
            FixedCode = Usings + fixedSource,
        };
        TestReferences.Apply(test.TestState, out var referenceAssemblies);
        TestReferences.Apply(test.FixedState, out _);

        // Markup in the fixed source marks diagnostics the fix leaves (ones it has no fix for).
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        test.ReferenceAssemblies = referenceAssemblies;
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>
    /// Verifies the diagnostics in <paramref name="source"/> (markup, and those expected at <c>{|#n:…|}</c>
    /// locations) and that no code fix changes it.
    /// </summary>
    public static Task VerifyNoCodeFixAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            TestCode = Usings + source,
            FixedCode = Usings + source,
        };
        TestReferences.Apply(test.TestState, out var referenceAssemblies);
        TestReferences.Apply(test.FixedState, out _);
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        test.ExpectedDiagnostics.AddRange(expected);
        test.FixedState.ExpectedDiagnostics.AddRange(expected);
        test.ReferenceAssemblies = referenceAssemblies;
        return test.RunAsync(CancellationToken.None);
    }
}
