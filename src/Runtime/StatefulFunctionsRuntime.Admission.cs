using StatefulFunctions.Runtime;

namespace StatefulFunctions;

// Admission: the count of work in flight, idleness, and backpressure for senders from outside (see Admission).
public sealed partial class StatefulFunctionsRuntime
{
    private readonly Admission _admission;

    /// <summary>Messages queued or running plus units waiting for the group commit; never negative.</summary>
    internal long PendingCount => _admission.Pending;

    /// <summary>Completes when no message is queued or running (delayed messages not yet due do not count).</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken = default) => _admission.WhenIdleAsync(cancellationToken);

    /// <summary>Counts a message queued or running, or a unit waiting for the group commit (see <see cref="WhenIdleAsync"/>).</summary>
    internal void WorkStarted() => _admission.WorkStarted();

    internal void WorkDone(int count = 1) => _admission.WorkDone(count);

    /// <inheritdoc cref="Admission.OfferRoom"/>
    internal void OfferRoom() => _admission.OfferRoom();
}
