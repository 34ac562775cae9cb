using MemoryPack;

namespace StatefulFunctions.Runtime.Tests.Functions;

[MemoryPackable] public sealed partial record Open : IAsk<string>;
[MemoryPackable] public sealed partial record OpenVia(string VaultId) : IAsk<string>;
[MemoryPackable] public sealed partial record Unlock(string Code);
[MemoryPackable] public sealed partial record CountWaiting : IAsk<int>;
[MemoryPackable] public sealed partial record HandOver(PendingReply<string> Reply, string Code);
[MemoryPackable] public sealed partial record OpenAt(string VaultId, string Code) : IAsk<string>;
[MemoryPackable] public sealed partial record Jam : IAsk<string>;
[MemoryPackable] public sealed partial record OpenJammed(string VaultId) : IAsk<string>;

/// <summary>Defers the reply of every <see cref="Open"/> until an <see cref="Unlock"/> answers them all with its code.</summary>
[StatefulFunction("tests/vault")]
public sealed partial class Vault : IHandle<Open>, IHandle<OpenVia>, IHandle<Unlock>, IHandle<CountWaiting, int>, IHandle<HandOver>, IHandle<OpenAt>, IHandle<Jam, string>, IHandle<OpenJammed>
{
    [Persisted] private List<PendingReply<string>> _waiting = new();

    public void Handle(IContext context, Open message) => _waiting.Add(context.DeferReply(message));

    /// <summary>Passes the ask on: the other vault's answer is this ask's answer.</summary>
    public void Handle(IContext context, OpenVia message) => context.Forward(Vault.At(message.VaultId), new Open());

    public void Handle(IContext context, Unlock message)
    {
        foreach (var waiting in _waiting)
        {
            // The first answer counts; a second one to the same ask (the second Reply below) is ignored.
            context.Reply(waiting, message.Code);
            context.Reply(waiting, message.Code + " again");
        }

        _waiting.Clear();
    }

    public int Handle(IContext context, CountWaiting message) => _waiting.Count;

    /// <summary>Keeps nothing: sends the reply it owes to another vault in a message, which answers it.</summary>
    public void Handle(IContext context, OpenAt message) =>
        context.Send(Vault.At(message.VaultId), new HandOver(context.DeferReply(message), message.Code));

    /// <summary>Fails on every attempt.</summary>
    public string Handle(IContext context, Jam message) => throw new InvalidOperationException("The vault is jammed.");

    /// <summary>Forwards the ask to a vault that fails on it: the ask gets the dead letter.</summary>
    public void Handle(IContext context, OpenJammed message) => context.Forward(Vault.At(message.VaultId), new Jam());

    /// <summary>Answers a reply another instance kept and sent over in a message.</summary>
    public void Handle(IContext context, HandOver message) => context.Reply(message.Reply, message.Code);
}
