using Microsoft.Extensions.Hosting;

namespace StatefulFunctions.Hosting;

/// <summary>Starts the runtime with the host and stops it gracefully (draining messages in flight) when the host stops.</summary>
internal sealed class StatefulFunctionsHostedService(StatefulFunctionsRuntime runtime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => runtime.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => runtime.StopAsync(cancellationToken);
}
