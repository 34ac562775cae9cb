namespace ShoppingCart;

/// <summary>
/// The shop's clock: the system clock plus however far the sample has fast-forwarded it, so that half an hour can
/// pass in an instant. The runtime takes its time from the application's <see cref="TimeProvider"/>
/// (<c>IContext.Now</c>, time to live, delayed messages), so this is all it takes. Only "now" jumps; timers
/// still wait real time. (A test would use <c>FakeTimeProvider</c> from Microsoft.Extensions.TimeProvider.Testing.)
/// </summary>
public sealed class ShopClock : TimeProvider
{
    private readonly DateTimeOffset _start;
    private long _offsetTicks;

    public ShopClock() => _start = TimeProvider.System.GetUtcNow();

    /// <summary>How much shop time has passed since the clock was created.</summary>
    public TimeSpan Elapsed => GetUtcNow() - _start;

    /// <summary>Moves the clock forward.</summary>
    public void FastForward(TimeSpan span) => Interlocked.Add(ref _offsetTicks, span.Ticks);

    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
}
