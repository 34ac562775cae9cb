using System.Globalization;
using System.Runtime.CompilerServices;
using StatefulFunctions;

namespace RideSharing.Ingress;

/// <summary>
/// A small simulated city feeding two ingresses: drivers first report where they are (and keep moving), then
/// passengers request rides at a steady pace. Seeded, so every run requests the same rides.
/// </summary>
public sealed class CitySimulation(int gridSize, int drivers, int passengers, int rides, int seed)
{
    /// <summary>How many rides the simulation requests.</summary>
    public int Rides => rides;

    /// <summary>The ride requests, 50 every 10 ms.</summary>
    public IIngress<RideRequestEvent> Requests => new Source<RideRequestEvent>(RequestsAsync);

    /// <summary>Every driver's first position, then random moves of a few drivers every 10 ms while rides go on.</summary>
    public IIngress<DriverLocationEvent> Locations => new Source<DriverLocationEvent>(LocationsAsync);

    private async IAsyncEnumerable<RideRequestEvent> RequestsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        await Task.Delay(50, cancellationToken).ConfigureAwait(false); // let drivers take their places first
        for (var i = 0; i < rides; i++)
        {
            if (i % 50 == 0)
            {
                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }

            var passenger = string.Create(CultureInfo.InvariantCulture, $"passenger-{random.Next(passengers)}");
            yield return new RideRequestEvent(passenger, RandomCell(random), RandomCell(random));
        }
    }

    private async IAsyncEnumerable<DriverLocationEvent> LocationsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var random = new Random(seed + 1);
        for (var d = 0; d < drivers; d++)
        {
            yield return new DriverLocationEvent(DriverId(d), RandomCell(random));
        }

        for (var tick = 0; tick < 200 && !cancellationToken.IsCancellationRequested; tick++)
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            for (var move = 0; move < 5; move++)
            {
                yield return new DriverLocationEvent(DriverId(random.Next(drivers)), RandomCell(random));
            }
        }
    }

    private static string DriverId(int index) => string.Create(CultureInfo.InvariantCulture, $"driver-{index}");

    private string RandomCell(Random random) => CityGrid.Cell(random.Next(gridSize), random.Next(gridSize));

    private sealed class Source<T>(Func<CancellationToken, IAsyncEnumerable<T>> read) : IIngress<T>
    {
        public IAsyncEnumerable<T> ReadAsync(CancellationToken cancellationToken) => read(cancellationToken);
    }
}
