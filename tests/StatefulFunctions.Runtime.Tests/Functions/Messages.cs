using MemoryPack;

namespace StatefulFunctions.Runtime.Tests.Functions;

[MemoryPackable] public sealed partial record Increment(int By);
[MemoryPackable] public sealed partial record Sequenced(string Sender, int Number);
[MemoryPackable] public sealed partial record GetCount;
[MemoryPackable] public sealed partial record Burst(string TargetId, int Count);
[MemoryPackable] public sealed partial record Boom(int Attempts);
[MemoryPackable] public sealed partial record Schedule(string Tag, int DelaySeconds, string? Token);
[MemoryPackable] public sealed partial record Cancel(string Token);
[MemoryPackable] public sealed partial record CancelThenSchedule(string Tag, int DelaySeconds, string Token);
[MemoryPackable] public sealed partial record ScheduleThenCancel(string Tag, int DelaySeconds, string Token);
[MemoryPackable] public sealed partial record ScheduleTwice(string First, string Second, int DelaySeconds, string Token);
[MemoryPackable] public sealed partial record Hand(string? Holder);
[MemoryPackable] public sealed partial record Tick(string Tag);
[MemoryPackable] public sealed partial record SetProfile(string Name, int Age, string Bio);
[MemoryPackable] public sealed partial record Profile(string Name, int Age, string Bio);
[MemoryPackable] public sealed partial record Login(string Token);
[MemoryPackable] public sealed partial record Visit;
[MemoryPackable] public sealed partial record Hold;
[MemoryPackable] public sealed partial record IncrementAndGet(int By);
[MemoryPackable] public sealed partial record HoldAndCount;
