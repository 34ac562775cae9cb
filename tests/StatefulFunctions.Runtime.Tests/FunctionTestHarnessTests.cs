using StatefulFunctions.Runtime.Tests.Functions;
using StatefulFunctions.Testing;

namespace StatefulFunctions.Runtime.Tests;

/// <summary>The Testing package's harness for one function, as a user's unit test would use it.</summary>
public sealed class FunctionTestHarnessTests
{
    [Fact]
    public async Task State_sends_egress_and_replies_of_one_function_are_inspectable()
    {
        var counter = new FunctionTestHarness<Counter>("c1");
        await counter.InvokeAsync(new Increment(2));
        await counter.InvokeAsync(new Increment(3));
        await counter.InvokeAsync(new GetCount());

        Assert.Equal(5, counter.GetState<int>("count"));
        Assert.Equal(["c1=2", "c1=5"], counter.Emitted(TestModule.Counts));
        Assert.Equal([5], counter.Replies.Cast<int>());
    }

    [Fact]
    public async Task A_rejection_reaches_the_test_with_its_reason_and_the_call_changes_nothing()
    {
        var wallet = new FunctionTestHarness<Wallet>("w1");
        await wallet.InvokeAsync(new AddFunds(3));

        var rejected = await Assert.ThrowsAsync<MessageRejectedException>(() => wallet.InvokeAsync(new Spend(5)));

        Assert.Equal("Only 3 left, 5 asked.", rejected.Reason);
        Assert.Equal(1, wallet.GetState<int>("changes"));
        Assert.Equal([3m], wallet.Replies.Cast<decimal>());
    }

    [Fact]
    public async Task A_send_to_an_id_outside_the_address_limit_fails_in_the_harness_as_in_the_runtime()
    {
        var forwarder = new FunctionTestHarness<Forwarder>("f");
        var error = await Assert.ThrowsAsync<ArgumentException>(() => forwarder.InvokeAsync(new ForwardTo(new string('v', Address.MaxIdBytes + 1).ToCharArray(), Delayed: false)));
        Assert.Contains("is at most 1,024 bytes in UTF-8, not 1,025", error.Message, StringComparison.Ordinal);
        await forwarder.InvokeAsync(new ForwardTo(new string('v', Address.MaxIdBytes).ToCharArray(), Delayed: true));
    }

    [Fact]
    public async Task A_wrong_state_name_throws_naming_the_function_and_its_state_names()
    {
        var counter = new FunctionTestHarness<Counter>("c1");
        await counter.InvokeAsync(new Increment(10));

        var exception = Assert.Throws<InvalidOperationException>(() => counter.GetState<int>("cuont"));
        Assert.Contains("tests/counter/c1", exception.Message, StringComparison.Ordinal);
        Assert.Contains("no persisted state 'cuont'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Its state names: count, sequence.", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_state_type_throws_naming_the_declared_and_the_requested_type()
    {
        var counter = new FunctionTestHarness<Counter>("c1");
        await counter.InvokeAsync(new Increment(10));

        var asString = Assert.Throws<InvalidOperationException>(() => counter.GetState<string>("count"));
        Assert.Contains("declared as System.Int32", asString.Message, StringComparison.Ordinal);
        Assert.Contains("stored as int", asString.Message, StringComparison.Ordinal);
        Assert.Contains("not System.String", asString.Message, StringComparison.Ordinal);
        var misspelt = Assert.Throws<InvalidOperationException>(() => counter.GetState<decimal>("balanse"));
        Assert.Contains("no persisted state 'balanse'", misspelt.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => counter.GetState<decimal>("count"));
    }

    [Fact]
    public async Task State_reads_through_the_generated_descriptor_without_a_name_in_the_harness_and_the_application()
    {
        var counter = new FunctionTestHarness<Counter>("c1");
        await counter.InvokeAsync(new Increment(10));
        Assert.Equal(10, counter.GetState(Counter.PersistedState.Count));

        await using var app = await TestApplication.StartAsync(new TestModule());
        await app.Client.SendAsync(Counter.At("c2").Untyped, new Increment(7));
        await app.RunUntilIdleAsync();
        Assert.Equal(7, await app.GetStateAsync(Counter.At("c2").Untyped, Counter.PersistedState.Count));
        var wrong = await Assert.ThrowsAsync<InvalidOperationException>(() => app.GetStateAsync<string>(Counter.At("c2").Untyped, "count"));
        Assert.Contains("not System.String", wrong.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.GetStateAsync<int>(Counter.At("c2").Untyped, "balance"));
    }

    [Fact]
    public async Task Timers_are_pending_until_the_manual_clock_reaches_them_and_cancelled_ones_never_fire()
    {
        var timer = new FunctionTestHarness<Alarm>("t1");
        await timer.InvokeAsync(new Schedule("late", 60, null));
        await timer.InvokeAsync(new Schedule("early", 5, "cancel"));
        await timer.InvokeAsync(new Schedule("mid", 30, null));
        await timer.InvokeAsync(new Cancel("cancel"));

        Assert.Equal(["mid", "late"], timer.PendingTimers.Select(t => ((Tick)t.Message).Tag));
        await timer.AdvanceAsync(TimeSpan.FromSeconds(45));
        Assert.Equal(["mid@00:00:30"], timer.GetState<List<string>>("fired"));
        await timer.AdvanceAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(["mid@00:00:30", "late@00:01:00"], timer.GetState<List<string>>("fired"));
    }

    [Fact]
    public async Task The_harness_applies_delayed_sends_and_cancellations_in_call_order_and_renews_a_rewritten_partial_property()
    {
        var timer = new FunctionTestHarness<Alarm>("t2");
        await timer.InvokeAsync(new Schedule("first", 10, "t1"));
        await timer.InvokeAsync(new CancelThenSchedule("pushed-back", 20, "t1"));
        await timer.InvokeAsync(new ScheduleThenCancel("never", 5, "t2"));
        Assert.Equal(["pushed-back"], timer.PendingTimers.Select(t => ((Tick)t.Message).Tag));

        var badge = new FunctionTestHarness<Badge>("b");
        await badge.InvokeAsync(new Hand("ann"));
        await badge.AdvanceAsync(TimeSpan.FromSeconds(30));
        await badge.InvokeAsync(new Hand("ann"));
        await badge.AdvanceAsync(TimeSpan.FromSeconds(40));
        Assert.Equal("ann", badge.GetState<string>("holder"));
        Assert.Null(badge.GetState<string>("holder_field"));
    }

    [Fact]
    public async Task A_member_past_its_time_to_live_reads_as_a_new_instances_value()
    {
        var session = new FunctionTestHarness<Session>("s");
        await session.InvokeAsync(new Login("abc"));
        await session.AdvanceAsync(TimeSpan.FromMinutes(9));
        Assert.Equal("abc", session.GetState<string>("token"));
        await session.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Null(session.GetState<string>("token"));
        Assert.Equal(1, session.GetState<int>("logins"));
    }

    [Fact]
    public async Task A_throwing_handler_propagates_and_leaves_state_and_effects_as_they_were()
    {
        var faulty = new FunctionTestHarness<Faulty>("harness-fails");
        await faulty.InvokeAsync(new Increment(4));
        await Assert.ThrowsAsync<InvalidOperationException>(() => faulty.InvokeAsync(new Boom(int.MaxValue)));

        Assert.Equal(4, faulty.GetState<int>("value"));
        Assert.Equal(0, faulty.GetState<int>("tries"));
        Assert.Empty(faulty.Sent);
        Assert.Empty(faulty.PendingTimers);
    }

    [Fact]
    public async Task Messages_sent_to_other_functions_are_recorded_with_their_caller()
    {
        var sender = new FunctionTestHarness<Sender>("s");
        await sender.InvokeAsync(new Burst("target", 3));

        Assert.Equal(
            [new SentMessage(Counter.At("target").Untyped, sender.Self, new Sequenced("s", 0)),
             new SentMessage(Counter.At("target").Untyped, sender.Self, new Sequenced("s", 1)),
             new SentMessage(Counter.At("target").Untyped, sender.Self, new Sequenced("s", 2))],
            sender.Sent);
    }
}
