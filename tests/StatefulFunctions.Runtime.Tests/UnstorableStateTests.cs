using StatefulFunctions.Generation;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>A persisted member MemoryPack cannot store: the runtime refuses it at start, naming the function and the member.</summary>
public sealed class UnstorableStateTests
{
    [Fact]
    public void A_function_whose_state_cannot_be_stored_is_refused_at_registration_naming_it_and_the_member()
    {
        var descriptor = new FunctionDescriptor(new TypeName("tests", "upload"), typeof(Upload), static () => new Upload(), [], []);

        var error = Assert.Throws<InvalidOperationException>(() => new ApplicationModel().AddFunction(descriptor));

        Assert.StartsWith($"Function type 'tests/upload' ({typeof(Upload).FullName}) cannot be registered: the state a new instance starts with cannot be stored. Persisted state 'content' of type System.IO.Stream could not be serialized", error.Message, StringComparison.Ordinal);
        Assert.IsType<StateSerializationException>(error.InnerException);
    }

    /// <summary>Written by hand as the generator would write it for <c>[Persisted] private Stream _content</c> (SFN0022).</summary>
    private sealed class Upload : IStatefulFunction
    {
        private static readonly PersistedMember<Stream> Content = new("content", "System.IO.Stream");

        public ValueTask DispatchAsync(IContext context, object message) => default;

        public void WriteState(StateWriter writer) => writer.Write(Content, new MemoryStream());

        public void ReadState(StateReader reader)
        {
        }
    }
}
