using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace StatefulFunctions.Analyzers.Tests;

public sealed class StateContractAnalyzerTests
{
    private const string File = "StatefulFunctions.Contracts.txt";

    private const string Header =
        """
        # StatefulFunctions state contract baseline: the persisted state and messages of each function type.
        # Update it with the code fix "Update the state contract baseline" when a change is intended.
        # Format: 'function <type name>', then one indented line per persisted state ('state <state name>: <type>')
        # and per handled message type ('message <type>'). Types are fully qualified without 'global::', with C#
        # keywords for built-in types and '?' for nullable types. Functions, states and messages are sorted ordinally.


        """;

    private const string Baseline = Header +
        """
        function rides/driver
          state completed_rides: int
          state last_seen: System.DateTimeOffset?
          state name: string?
          message Rides.LocationUpdated
          message Rides.RideCompleted

        """;

    private const string Messages =
        """
        namespace Rides
        {
            public sealed record LocationUpdated(string Cell);
            public sealed record RideCompleted(int Fare);
            public sealed record Ping;
        }

        """;

    private const string Driver = Messages +
        """
        [StatefulFunction("rides/driver")]
        public sealed partial class Driver : IHandle<Rides.LocationUpdated>, IHandleAsync<Rides.RideCompleted>
        {
            [Persisted] private int _completedRides;
            [Persisted] private DateTimeOffset? _lastSeen;
            [Persisted] public string? Name { get; set; }

            public void Handle(IContext context, Rides.LocationUpdated message) { }

            public ValueTask HandleAsync(IContext context, Rides.RideCompleted message) => default;
        }
        """;

    [Fact]
    public Task SFN0015_matching_baseline_is_silent() => VerifyAsync(Driver, Baseline);

    [Fact]
    public Task SFN0015_no_baseline_file_is_silent() => VerifyAsync(Driver.Replace("_lastSeen", "_seen", StringComparison.Ordinal), null);

    [Fact]
    public Task SFN0015_nullability_of_a_reference_type_is_compatible() =>
        VerifyAsync(Driver.Replace("public string? Name", "public string Name", StringComparison.Ordinal), Baseline);

    [Fact]
    public Task SFN0015_additive_changes_are_silent() => VerifyAsync(
        Messages +
        """
        [StatefulFunction("rides/driver")]
        public sealed partial class Driver : IHandle<Rides.LocationUpdated>, IHandleAsync<Rides.RideCompleted>, IHandle<Rides.Ping>
        {
            [Persisted] private int _completedRides;
            [Persisted] private DateTimeOffset? _lastSeen;
            [Persisted] public string? Name { get; set; }
            [Persisted] private long _rating;

            public void Handle(IContext context, Rides.LocationUpdated message) { }

            public ValueTask HandleAsync(IContext context, Rides.RideCompleted message) => default;

            public void Handle(IContext context, Rides.Ping message) { }
        }

        [StatefulFunction("rides/rider")]
        public sealed partial class Rider
        {
            [Persisted] private int _trips;
        }
        """,
        Baseline);

    [Fact]
    public Task SFN0015_removed_member() => VerifyAsync(
        Messages +
        """
        [StatefulFunction("rides/driver")]
        public sealed partial class {|#0:Driver|} : IHandle<Rides.LocationUpdated>, IHandleAsync<Rides.RideCompleted>
        {
            [Persisted] private int _completedRides;
            [Persisted] public string? Name { get; set; }

            public void Handle(IContext context, Rides.LocationUpdated message) { }

            public ValueTask HandleAsync(IContext context, Rides.RideCompleted message) => default;
        }
        """,
        Baseline,
        Expect(0, "the persisted state 'last_seen' (System.DateTimeOffset?) is gone; if the member was renamed, keep the old name with [Persisted(Name = \"last_seen\")]"));

    [Fact]
    public Task SFN0015_renamed_member() => VerifyAsync(
        Driver.Replace("public sealed partial class Driver", "public sealed partial class {|#0:Driver|}", StringComparison.Ordinal)
            .Replace("_completedRides", "{|#1:_ridesCompleted|}", StringComparison.Ordinal),
        Baseline,
        Expect(0, "the persisted state 'completed_rides' (int) is gone; if the member was renamed, keep the old name with [Persisted(Name = \"completed_rides\")]").WithLocation(1));

    [Fact]
    public Task SFN0015_renamed_member_with_pinned_name_is_silent() => VerifyAsync(
        Driver.Replace("[Persisted] private int _completedRides", "[Persisted(Name = \"completed_rides\")] private int _ridesCompleted", StringComparison.Ordinal),
        Baseline);

    [Fact]
    public Task SFN0015_type_changed() => VerifyAsync(
        Driver.Replace("[Persisted] private int _completedRides", "[Persisted] private long {|#0:_completedRides|}", StringComparison.Ordinal)
            .Replace("DateTimeOffset? _lastSeen", "DateTimeOffset {|#1:_lastSeen|}", StringComparison.Ordinal),
        Baseline,
        Expect(0, "the state 'completed_rides' changed type from 'int' to 'long', so its stored value can no longer be loaded"),
        Expect(1, "the state 'last_seen' changed type from 'System.DateTimeOffset?' to 'System.DateTimeOffset', so its stored value can no longer be loaded"));

    [Fact]
    public Task SFN0015_message_removed() => VerifyAsync(
        Driver.Replace("public sealed partial class Driver : IHandle<Rides.LocationUpdated>, IHandleAsync<Rides.RideCompleted>", "public sealed partial class {|#0:Driver|} : IHandle<Rides.LocationUpdated>", StringComparison.Ordinal),
        Baseline,
        Expect(0, "it no longer handles the message type 'Rides.RideCompleted', so messages its senders still send are not handled"));

    [Fact]
    public Task SFN0015_function_renamed() => VerifyAsync(
        Driver.Replace("\"rides/driver\"", "\"rides/chauffeur\"", StringComparison.Ordinal),
        Baseline,
        new DiagnosticResult(DiagnosticDescriptors.StateContractBroken)
            .WithSpan(File, 7, 1, 7, 22)
            .WithArguments("rides/driver", "no function type with this name exists any more (was the type name changed?); old state and messages sent to it can no longer be loaded or handled"));

    [Fact]
    public Task SFN0016_malformed_line() => VerifyAsync(
        Driver,
        Baseline.Replace("  state name: string?", "  state name string?", StringComparison.Ordinal),
        new DiagnosticResult(DiagnosticDescriptors.StateContractUnreadable)
            .WithSpan(File, 10, 1, 10, 21)
            .WithArguments(10, "expected 'state <state name>: <type>'"));

    [Fact]
    public Task SFN0015_update_the_baseline_fix_rewrites_the_file()
    {
        var test = CreateTest<UpdateStateContractCodeFixProvider>(
            Messages +
            """
            [StatefulFunction("rides/driver")]
            public sealed partial class {|#0:Driver|} : IHandle<Rides.LocationUpdated>, IHandle<Rides.Ping>
            {
                [Persisted] private long {|#1:_completedRides|};
                [Persisted] public string? Name { get; set; }

                public void Handle(IContext context, Rides.LocationUpdated message) { }

                public void Handle(IContext context, Rides.Ping message) { }
            }

            [StatefulFunction("rides/rider")]
            public sealed partial class Rider
            {
                [Persisted(Name = "trip_count")] private int _trips;
            }
            """,
            Baseline,
            Expect(1, "the state 'completed_rides' changed type from 'int' to 'long', so its stored value can no longer be loaded"),
            Expect(0, "the persisted state 'last_seen' (System.DateTimeOffset?) is gone; if the member was renamed, keep the old name with [Persisted(Name = \"last_seen\")]"),
            Expect(0, "it no longer handles the message type 'Rides.RideCompleted', so messages its senders still send are not handled"));
        test.FixedState.AdditionalFiles.Add((File, Header +
            """
            function rides/driver
              state completed_rides: long
              state name: string?
              message Rides.LocationUpdated
              message Rides.Ping

            function rides/rider
              state trip_count: int

            """));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task SFN0015_empty_baseline_is_filled_by_the_update_fix()
    {
        var test = CreateTest<UpdateStateContractCodeFixProvider>(
            Driver.Replace("public sealed partial class Driver", "public sealed partial class {|#0:Driver|}", StringComparison.Ordinal),
            "# new\n",
            Expect(0, "the baseline lists no function yet; apply the code fix 'Update the state contract baseline' to record the current contract"));
        test.FixedState.AdditionalFiles.Add((File, Baseline));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task SFN0015_keep_the_old_state_name_fix_pins_the_name()
    {
        var source = Driver.Replace("public sealed partial class Driver", "public sealed partial class {|#0:Driver|}", StringComparison.Ordinal);
        var test = CreateTest<KeepOldStateNameCodeFixProvider>(
            source.Replace("[Persisted] private DateTimeOffset? _lastSeen", "[Persisted] private DateTimeOffset? {|#1:_seenAt|}", StringComparison.Ordinal),
            Baseline,
            Expect(0, "the persisted state 'last_seen' (System.DateTimeOffset?) is gone; if the member was renamed, keep the old name with [Persisted(Name = \"last_seen\")]").WithLocation(1));
        test.FixedCode = Verifier<StateContractAnalyzer, KeepOldStateNameCodeFixProvider>.Usings + "#nullable enable\n"
            + Driver.Replace("[Persisted] private DateTimeOffset? _lastSeen", "[Persisted(Name = \"last_seen\")] private DateTimeOffset? _seenAt", StringComparison.Ordinal);
        test.FixedState.AdditionalFiles.Add((File, Baseline));
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task SFN0015_keep_the_old_state_name_is_not_offered_for_two_candidates()
    {
        var source = Driver.Replace("public sealed partial class Driver", "public sealed partial class {|#0:Driver|}", StringComparison.Ordinal)
            .Replace("[Persisted] private int _completedRides;", "[Persisted] private int _ridesCompleted;\n    [Persisted] private int _ridesCancelled;", StringComparison.Ordinal);
        var test = CreateTest<KeepOldStateNameCodeFixProvider>(
            source,
            Baseline,
            Expect(0, "the persisted state 'completed_rides' (int) is gone; if the member was renamed, keep the old name with [Persisted(Name = \"completed_rides\")]"));
        test.FixedCode = Verifier<StateContractAnalyzer, KeepOldStateNameCodeFixProvider>.Usings + "#nullable enable\n" + source;
        test.FixedState.AdditionalFiles.Add((File, Baseline));
        test.FixedState.ExpectedDiagnostics.AddRange(test.ExpectedDiagnostics);
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task SFN0015_keep_the_old_state_name_fixes_all_renames_at_once()
    {
        var source = Driver.Replace("public sealed partial class Driver", "public sealed partial class {|#0:Driver|}", StringComparison.Ordinal)
            .Replace("[Persisted] private int _completedRides", "[Persisted] private int {|#1:_ridesDone|}", StringComparison.Ordinal)
            .Replace("[Persisted] private DateTimeOffset? _lastSeen", "[Persisted] private DateTimeOffset? {|#2:_seenAt|}", StringComparison.Ordinal);
        var test = CreateTest<KeepOldStateNameCodeFixProvider>(
            source,
            Baseline,
            Expect(0, "the persisted state 'completed_rides' (int) is gone; if the member was renamed, keep the old name with [Persisted(Name = \"completed_rides\")]").WithLocation(1),
            Expect(0, "the persisted state 'last_seen' (System.DateTimeOffset?) is gone; if the member was renamed, keep the old name with [Persisted(Name = \"last_seen\")]").WithLocation(2));
        test.FixedCode = Verifier<StateContractAnalyzer, KeepOldStateNameCodeFixProvider>.Usings + "#nullable enable\n"
            + Driver
                .Replace("[Persisted] private int _completedRides", "[Persisted(Name = \"completed_rides\")] private int _ridesDone", StringComparison.Ordinal)
                .Replace("[Persisted] private DateTimeOffset? _lastSeen", "[Persisted(Name = \"last_seen\")] private DateTimeOffset? _seenAt", StringComparison.Ordinal);
        test.FixedState.AdditionalFiles.Add((File, Baseline));
        test.NumberOfIncrementalIterations = 2;
        test.NumberOfFixAllIterations = 1;
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>
    /// As <c>dotnet format</c> runs it: Fix All in the solution with the equivalence key of the action offered for
    /// the first SFN0015, which here is a changed type this fix does not offer anything for.
    /// </summary>
    [Fact]
    public async Task SFN0015_keep_the_old_state_name_fixes_all_when_asked_without_an_equivalence_key()
    {
        var source = Verifier<StateContractAnalyzer, KeepOldStateNameCodeFixProvider>.Usings + "#nullable enable\n"
            + Driver
                .Replace("[Persisted] private int _completedRides", "[Persisted] private long _completedRides", StringComparison.Ordinal)
                .Replace("[Persisted] private DateTimeOffset? _lastSeen", "[Persisted] private DateTimeOffset? _seenAt", StringComparison.Ordinal);
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject("Rides", LanguageNames.CSharp)
            .WithCompilationOptions(new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable))
            .AddMetadataReferences(Basic.Reference.Assemblies.Net100.References.All)
            .AddMetadataReference(MetadataReference.CreateFromFile(typeof(IContext).Assembly.Location))
            .AddAdditionalDocument(File, Baseline, filePath: "/" + File).Project;
        var document = project.AddDocument("Driver.cs", source, filePath: "/Driver.cs");
        project = document.Project;

        var compilation = (await project.GetCompilationAsync())!;
        var diagnostics = (await compilation
                .WithAnalyzers([new StateContractAnalyzer()], project.AnalyzerOptions)
                .GetAnalyzerDiagnosticsAsync())
            .OrderBy(d => d.Properties[StateContractAnalyzer.KindProperty] == StateContractAnalyzer.KindStateRemoved)
            .ToImmutableArray();
        Assert.Equal([StateContractAnalyzer.KindStateTypeChanged, StateContractAnalyzer.KindStateRemoved], diagnostics.Select(d => d.Properties[StateContractAnalyzer.KindProperty]));

        var fix = new KeepOldStateNameCodeFixProvider();
        var context = new FixAllContext(
            document,
            fix,
            FixAllScope.Solution,
            codeActionEquivalenceKey: null!,
            [DiagnosticDescriptors.StateContractBroken.Id],
            new FixedDiagnostics(diagnostics),
            CancellationToken.None);
        var action = await fix.GetFixAllProvider().GetFixAsync(context);

        Assert.NotNull(action);
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var changed = operations.OfType<Microsoft.CodeAnalysis.CodeActions.ApplyChangesOperation>().Single().ChangedSolution;
        var text = (await changed.GetDocument(document.Id)!.GetTextAsync()).ToString();
        Assert.Contains("[Persisted(Name = \"last_seen\")] private DateTimeOffset? _seenAt", text, StringComparison.Ordinal);
        Assert.Contains("[Persisted] private long _completedRides", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("string", "string?", true)]
    [InlineData("string?", "string", true)]
    [InlineData("System.Collections.Generic.List<string?>", "System.Collections.Generic.List<string>", true)]
    [InlineData("System.Collections.Generic.Dictionary<string, string?>?", "System.Collections.Generic.Dictionary<string?, string>", true)]
    [InlineData("string?[]", "string[]?", true)]
    [InlineData("int?", "int", false)]
    [InlineData("int", "int?", false)]
    [InlineData("System.Collections.Generic.List<int?>", "System.Collections.Generic.List<int>", false)]
    [InlineData("int", "long", false)]
    [InlineData("System.Collections.Generic.List<string>", "string[]", false)]
    public void State_types_are_compatible_only_up_to_reference_nullability(string baselineType, string currentType, bool compatible)
    {
        var tree = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText($"#nullable enable\nclass C {{ {currentType} F = default!; }}");
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("T", [tree], Basic.Reference.Assemblies.Net100.References.All);
        var field = (IFieldSymbol)compilation.GetTypeByMetadataName("C")!.GetMembers("F").Single();
        Assert.Equal(currentType, field.Type.ToDisplayString(StateContract.TypeFormat));
        Assert.Equal(compatible, StateContract.IsCompatible(baselineType, field.Type));
    }

    [Theory]
    [InlineData("_lastSeen", "last_seen")]
    [InlineData("Count", "count")]
    [InlineData("HTTPStatus", "http_status")]
    [InlineData("__rides2Go", "rides2_go")]
    public void State_names_follow_the_generator_rule(string member, string state) =>
        Assert.Equal(state, StateNames.ToStateName(member));

    private static DiagnosticResult Expect(int location, string what) =>
        new DiagnosticResult(DiagnosticDescriptors.StateContractBroken).WithLocation(location).WithArguments("rides/driver", what);

    private static Task VerifyAsync(string source, string? baseline, params DiagnosticResult[] expected) =>
        CreateTest<UpdateStateContractCodeFixProvider>(source, baseline, expected).RunAsync(CancellationToken.None);

    private static CSharpCodeFixTest<StateContractAnalyzer, TCodeFix, DefaultVerifier> CreateTest<TCodeFix>(
        string source, string? baseline, params DiagnosticResult[] expected)
        where TCodeFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<StateContractAnalyzer, TCodeFix, DefaultVerifier>
        {
            TestCode = Verifier<StateContractAnalyzer, TCodeFix>.Usings + "#nullable enable\n" + source,
        };
        TestReferences.Apply(test.TestState, out var referenceAssemblies);
        TestReferences.Apply(test.FixedState, out _);
        if (baseline is not null)
        {
            test.TestState.AdditionalFiles.Add((File, baseline));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        test.ReferenceAssemblies = referenceAssemblies;
        return test;
    }

    /// <summary>The diagnostics <c>dotnet format</c> found, handed to a Fix All.</summary>
    private sealed class FixedDiagnostics(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics.Where(d => d.Location.SourceTree?.FilePath == document.FilePath));

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);
    }
}
