using Verify = StatefulFunctions.Analyzers.Tests.Verifier<
    StatefulFunctions.Analyzers.UntypedSendAnalyzer,
    Microsoft.CodeAnalysis.Testing.EmptyCodeFixProvider>;

namespace StatefulFunctions.Analyzers.Tests;

public sealed class UntypedSendAnalyzerTests
{
    // The generator is not run in these tests: At(id) is written by hand, as generated.
    private const string Functions =
        """
        public interface IRideEvent;
        public record RideMessage : IRideEvent;
        public sealed record Cancel : RideMessage;
        public sealed record Ping;
        public sealed record Unrelated;

        [StatefulFunction("rides/ride")]
        public sealed partial class Ride : IHandle<RideMessage>, IHandleAsync<Ping>
        {
            public static Address<Ride> At(string id) => new(new TypeName("rides", "ride"), id);

            public void Handle(IContext context, RideMessage message) { }

            public ValueTask HandleAsync(IContext context, Ping message) => default;
        }

        [StatefulFunction("rides/tally")]
        public sealed partial class Tally : IHandle<IRideEvent>
        {
            public static Address<Tally> At(string id) => new(new TypeName("rides", "tally"), id);

            public void Handle(IContext context, IRideEvent message) { }
        }

        """;

    [Fact]
    public Task SFN0012_unhandled_message_through_converted_address() => Verify.VerifyAnalyzerAsync(Functions +
        """
        public static class Sender
        {
            public static void Send(IContext context, string id)
            {
                context.Send((Address)Ride.At(id), {|SFN0012:new Unrelated()|});
                context.Send(Ride.At(id).Untyped, {|SFN0012:new Unrelated()|});
                context.SendAfter(TimeSpan.FromSeconds(1), (Address)Tally.At(id), {|SFN0012:new Ping()|}, "t");
                context.SendAfter(TimeSpan.FromSeconds(1), Tally.At(id).Untyped, message: {|SFN0012:new Ping()|});
            }
        }
        """);

    [Fact]
    public Task SFN0012_names_the_message_a_typed_send_does_not_compile_for() => Verify.VerifyAnalyzerAsync(Functions +
        """
        public static class Sender
        {
            public static async Task Send(IContext context, IStatefulFunctionsClient client, string id)
            {
                // The compiler's own error stays (CS0311 on the method, CS1503 on the address); SFN0012 names the message.
                context.{|CS0311:Send|}(Ride.At(id), {|SFN0012:new Unrelated()|});
                context.{|CS0311:SendAfter|}(TimeSpan.FromSeconds(1), Tally.At(id), {|SFN0012:new Ping()|});
                context.{|CS0311:Forward|}(Ride.At(id), {|SFN0012:new Unrelated()|});
                await client.SendAsync({|CS1503:Ride.At(id)|}, {|SFN0012:new Unrelated()|});
            }
        }
        """);

    [Fact]
    public Task SFN0012_handled_messages_and_untyped_addresses_are_silent() => Verify.VerifyAnalyzerAsync(Functions +
        """
        public static class Sender
        {
            public static void Send(IContext context, string id, object anything, Address plain)
            {
                context.Send((Address)Ride.At(id), new RideMessage());
                context.Send(Ride.At(id).Untyped, new Cancel());
                context.Send(Ride.At(id).Untyped, new Ping());
                context.SendAfter(TimeSpan.FromSeconds(1), (Address)Tally.At(id), new Cancel());
                context.Send((Address)Ride.At(id), anything);
                context.Send(plain, new Unrelated());
                context.Send(context.Self, new Unrelated());
                context.Send(Ride.At(id), new Cancel());
                context.SendAfter(TimeSpan.FromSeconds(1), Tally.At(id), new Cancel());
                context.Forward(Ride.At(id), new Ping());
            }

            public static async Task SendFromOutside(IStatefulFunctionsClient client, string id)
            {
                await client.SendAsync(Ride.At(id), new Cancel());
                await client.SendAsync(Tally.At(id), new RideMessage());
            }
        }
        """);
}
