using Microsoft.CodeAnalysis;
using StatefulFunctions.Generators.Tests.Infrastructure;
using Xunit;

namespace StatefulFunctions.Generators.Tests;

/// <summary>A typed send compiles only for a message type the target function handles (DESIGN 1.1).</summary>
public sealed class TypedAddressTests
{
    private const string Functions = """
        using StatefulFunctions;

        namespace Rides;

        public sealed record RideRequested(string Id);
        public sealed record Unrelated;

        [StatefulFunction("rides/ride")]
        public partial class Ride : IHandle<RideRequested>
        {
            public void Handle(IContext context, RideRequested message) { }
        }
        """;

    [Fact]
    public void SendingAHandledMessageToATypedAddressCompiles()
    {
        var output = GeneratorHarness.RunAndGetCompilation(Functions, Caller("new RideRequested(\"r1\")"));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Theory]
    [InlineData("context.Send(Ride.At(\"r1\"), new Unrelated());")]
    [InlineData("context.SendAfter(System.TimeSpan.FromSeconds(1), Ride.At(\"r1\"), new Unrelated());")]
    public void SendingAnUnhandledMessageToATypedAddressDoesNotCompile(string statement)
    {
        var output = GeneratorHarness.RunAndGetCompilation(Functions, CallerStatement(statement));
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

        // CS0311: 'Ride' cannot be used as type parameter 'TFunction': no conversion to IHandles<Unrelated>.
        var error = Assert.Single(errors);
        Assert.Equal("CS0311", error.Id);
        Assert.Contains("IHandles<Rides.Unrelated>", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    private static string Caller(string message) => CallerStatement($"context.Send(Ride.At(\"r1\"), {message});");

    private static string CallerStatement(string statement) => $$"""
        using StatefulFunctions;

        namespace Rides;

        public sealed record Go;

        [StatefulFunction("rides/caller")]
        public partial class Caller : IHandle<Go>
        {
            public void Handle(IContext context, Go message)
            {
                {{statement}}
            }
        }
        """;
}
