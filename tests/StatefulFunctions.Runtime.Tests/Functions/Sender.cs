namespace StatefulFunctions.Runtime.Tests.Functions;

/// <summary>Sends a burst of numbered messages to one counter, from its own address.</summary>
[StatefulFunction("tests/sender")]
public sealed partial class Sender : IHandleAsync<Burst>
{
    public async ValueTask HandleAsync(IContext context, Burst message)
    {
        for (var i = 0; i < message.Count; i++)
        {
            context.Send(Counter.At(message.TargetId), new Sequenced(context.Self.Id, i));
            if (i % 100 == 0)
            {
                await Task.Yield();
            }
        }
    }
}
