using System.Text.Json;

namespace StatefulFunctions.AspNetCore;

/// <summary>How the HTTP endpoints of <c>MapStatefulFunctions</c> read requests and wait for replies.</summary>
public sealed class StatefulFunctionsHttpOptions
{
    /// <summary>The largest request body accepted, in bytes (default 1 MiB); a larger one gets 413.</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>How long an ask waits for the reply when the request does not say (default 30 s); then 504.</summary>
    public TimeSpan AskTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest wait a request may ask for with <c>Prefer: wait=N</c> or <c>?timeout=N</c> (default 5 min); a
    /// longer one is cut to it. The shortest is 0.001 s (1 ms): a shorter, zero, negative or non-numeric N gets 400
    /// and nothing is sent.
    /// </summary>
    public TimeSpan MaxAskTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The authorization policy of the routes that send: send, ask and routed ingress (null: none besides what the
    /// group returned by <c>MapStatefulFunctions</c> requires, e.g. with <c>.RequireAuthorization(policy)</c>).
    /// </summary>
    public string? SendPolicy { get; set; }

    /// <summary>The authorization policy of the egress routes, which read what functions emit (null: the group's only).</summary>
    public string? EgressPolicy { get; set; }

    /// <summary>The authorization policy of the health routes (null: the group's only).</summary>
    public string? HealthPolicy { get; set; }

    /// <summary>
    /// True to let anyone read health even when the group requires authorization, for probes that carry no
    /// credentials (default false). Health says only whether the runtime is live and ready, and why not.
    /// </summary>
    public bool AllowAnonymousHealth { get; set; }

    /// <summary>
    /// True to put the handler's last exception (type and message) in the 500 answer of an ask whose message was
    /// dead-lettered (default false: the answer names the address and the dead letter's id, and the failure is in the
    /// dead letter and the log). An exception's message can tell a client about internals, so say yes only for
    /// clients that may know them.
    /// </summary>
    public bool ShowHandlerFailures { get; set; }

    /// <summary>
    /// How messages are read from and replies written to JSON (web defaults: camelCase, case-insensitive). Messages
    /// are read with these options plus one rule, whatever the options are: a member bound to a constructor parameter
    /// without a default value whose type is not nullable, and a <c>required</c> member, must be present and not null
    /// (else 400 naming it). Replies are written with the options as they are.
    /// </summary>
    public JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web);
}
