using StatefulFunctions.Generators.Tests.Infrastructure;
using Xunit;

namespace StatefulFunctions.Generators.Tests;

/// <summary>Golden-file tests: the full generated text, which also has to compile without a warning.</summary>
public sealed class StatefulFunctionGeneratorSnapshotTests
{
    [Fact]
    public void SyncAndAsyncHandlers()
    {
        var result = GeneratorHarness.RunAndCompile("""
            using System.Threading.Tasks;
            using MemoryPack;
            using StatefulFunctions;

            namespace Rides;

            [MemoryPackable]
            public partial record RideRequested(string RideId);

            [MemoryPackable]
            [MessageType("rides/location-updated")]
            public partial record LocationUpdated(double Latitude, double Longitude);

            [StatefulFunction("rides/driver")]
            public partial class Driver : IHandle<RideRequested>, IHandleAsync<LocationUpdated>
            {
                [Persisted] private int _rides;

                public void Handle(IContext context, RideRequested message) => _rides++;

                public async ValueTask HandleAsync(IContext context, LocationUpdated message) => await Task.Yield();
            }
            """);

        Snapshot.Verify(result);
    }

    [Fact]
    public void AnsweringHandlersAndTypedAsks()
    {
        var result = GeneratorHarness.RunAndCompile("""
            using System.Threading.Tasks;
            using MemoryPack;
            using StatefulFunctions;

            namespace Bank;

            [MemoryPackable]
            public partial record GetBalance : IAsk<decimal>;

            [MemoryPackable]
            public partial record Deposit(decimal Amount) : IAsk<decimal>;

            [MemoryPackable]
            public partial record Audit(string Reason);

            [MemoryPackable]
            public partial record Close : IAsk<string>;

            [MemoryPackable]
            internal partial record Freeze;

            [StatefulFunction("bank/account")]
            public partial class Account : IHandle<GetBalance, decimal>, IHandleAsync<Deposit, decimal>, IHandle<Audit, string?>, IHandle<Close>, IHandle<Freeze, bool>
            {
                [Persisted] private decimal _balance;

                public decimal Handle(IContext context, GetBalance message) => _balance;

                public async ValueTask<decimal> HandleAsync(IContext context, Deposit message)
                {
                    await Task.Yield();
                    return _balance += message.Amount;
                }

                public string? Handle(IContext context, Audit message) => null;

                public void Handle(IContext context, Close message) => context.Reply("closed");

                bool IHandle<Freeze, bool>.Handle(IContext context, Freeze message) => true;
            }

            [MemoryPackable]
            public partial record Check(string Account);

            [StatefulFunction("bank/auditor")]
            public partial class Auditor : IHandle<Check>, IHandle<Reply<decimal>>
            {
                public void Handle(IContext context, Check message) => context.Ask(Account.At(message.Account), new GetBalance(), message.Account);

                public void Handle(IContext context, Reply<decimal> reply) { }
            }
            """);

        Snapshot.Verify(result);
    }

    [Fact]
    public void PersistedMemberTypes()
    {
        var result = GeneratorHarness.RunAndCompile("""
            using System.Collections.Generic;
            using MemoryPack;
            using StatefulFunctions;

            namespace Rides;

            public enum DriverStatus { Idle, Busy }

            [MemoryPackable]
            public partial record Location(double Latitude, double Longitude);

            [StatefulFunction("rides/driver")]
            public partial class Driver : IHandle<Location>
            {
                [Persisted] private int _trips;
                [Persisted] private DriverStatus _status;
                [Persisted] private Location _home = new(0, 0);
                [Persisted] private List<string> _visitedCities = new();
                [Persisted] private Dictionary<string, int> _tripsByCity = new();
                [Persisted] private int? _rating;
                [Persisted] private Location? _lastSeen;
                [Persisted(Name = "plate")] private string _licensePlate = "";
                [Persisted] public string HTTPStatus { get; set; } = "";

                public void Handle(IContext context, Location message) => _lastSeen = message;
            }
            """);

        Snapshot.Verify(result);
    }

    [Fact]
    public void PartialProperties()
    {
        var result = GeneratorHarness.RunAndCompile("""
            using System.Collections.Generic;
            using StatefulFunctions;

            namespace Rides;

            [StatefulFunction("rides/badge")]
            public partial class Badge : IHandle<string>
            {
                [Persisted(ExpireAfterWrite = "00:01:00")] private partial string? Holder { get; set; }
                [Persisted] public partial int Scans { get; private set; }
                [Persisted(Name = "seen_by")] internal partial List<string> Readers { get; set; }
                [Persisted] private partial int writer { get; set; }

                public Badge() => Readers = new();

                public void Handle(IContext context, string message)
                {
                    Holder = message;
                    Scans++;
                    Readers.Add(message);
                    writer = Scans;
                }
            }
            """);

        Snapshot.Verify(result);
    }

    [Fact]
    public void TimeToLive()
    {
        var result = GeneratorHarness.RunAndCompile("""
            using StatefulFunctions;

            namespace Rides;

            [StatefulFunction("rides/session")]
            public partial class Session : IHandle<string>
            {
                [Persisted(ExpireAfterWrite = "00:30:00")] private string? _lastMessage;
                [Persisted(ExpireAfterCall = "1.00:00:00")] private int _calls;

                public void Handle(IContext context, string message)
                {
                    _lastMessage = message;
                    _calls++;
                }
            }
            """);

        Snapshot.Verify(result);
    }

    [Fact]
    public void TwoFunctionsInOneAssembly()
    {
        var result = GeneratorHarness.RunAndCompile(
            """
            using StatefulFunctions;

            namespace Rides.Drivers;

            [StatefulFunction("rides/driver")]
            public partial class Driver : IHandle<string>
            {
                [Persisted] private int _count;

                public void Handle(IContext context, string message) => _count++;
            }
            """,
            """
            using StatefulFunctions;

            namespace Rides.Passengers;

            [StatefulFunction("rides/passenger")]
            public partial class Passenger : IHandle<int>
            {
                public void Handle(IContext context, int message) => context.Send(Rides.Drivers.Driver.At("seth"), "hello");
            }
            """);

        Snapshot.Verify(result);
    }

    [Fact]
    public void NestedAndGlobalNamespaceFunctions()
    {
        var result = GeneratorHarness.RunAndCompile(
            """
            using StatefulFunctions;

            namespace Rides;

            public static partial class Billing
            {
                public partial record Tariffs
                {
                    [StatefulFunction("billing/invoice")]
                    public partial class Invoice : IHandle<decimal>
                    {
                        [Persisted] private decimal _total;

                        public void Handle(IContext context, decimal message) => _total += message;
                    }
                }
            }
            """,
            """
            using StatefulFunctions;

            [StatefulFunction("global/counter")]
            public partial class Counter : IHandle<long>
            {
                [Persisted] private long _value;

                void IHandle<long>.Handle(IContext context, long message) => _value += message;
            }
            """);

        Snapshot.Verify(result);
    }
}
