using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace StatefulFunctions.AspNetCore.Tests;

/// <summary>
/// Authorization of the endpoints, on a real Kestrel on 127.0.0.1 with real ASP.NET Core authentication (a test
/// scheme reading the caller's roles from a header): <c>MapStatefulFunctions(...).RequireAuthorization(policy)</c>
/// for all routes, and a policy per kind of route (send/ask/ingress, egress, health), health optionally anonymous.
/// </summary>
public sealed class AuthorizationEndpointTests
{
    [Fact]
    public async Task RequireAuthorization_on_the_group_closes_every_route_to_a_caller_without_the_policy()
    {
        await using var app = await StartAsync(map => map(null).RequireAuthorization("members"));

        foreach (var role in new[] { null, "stranger" })
        {
            Assert.Equal(role is null ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden, await DepositAsync(app, "a", role));
            Assert.Equal(role is null ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden, await GetAsync(app, "/functions/health/ready", role));
            Assert.Equal(role is null ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden, await GetAsync(app, "/functions/egress/bank/statements?wait=0", role));
        }

        Assert.Equal(HttpStatusCode.Accepted, await DepositAsync(app, "a", "member"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, "/functions/health/ready", "member"));
    }

    [Fact]
    public async Task A_policy_per_kind_of_route_lets_each_caller_reach_only_its_routes_and_health_can_stay_anonymous()
    {
        await using var app = await StartAsync(map => map(o =>
        {
            o.SendPolicy = "senders";
            o.EgressPolicy = "readers";
            o.AllowAnonymousHealth = true;
        }).RequireAuthorization("members"));

        Assert.Equal(HttpStatusCode.Accepted, await DepositAsync(app, "b", "member,sender"));
        Assert.Equal(HttpStatusCode.Forbidden, await DepositAsync(app, "b", "member,reader"));
        Assert.Equal(HttpStatusCode.Forbidden, await IngestAsync(app, "member,reader"));
        Assert.Equal(HttpStatusCode.Accepted, await IngestAsync(app, "member,sender"));

        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, "/functions/egress/bank/statements?wait=0", "member,reader"));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(app, "/functions/egress/bank/statements?wait=0", "member,sender"));

        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, "/functions/health/live", role: null));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, "/functions/health/ready", role: null));
    }

    [Fact]
    public async Task A_health_policy_applies_to_both_health_routes_only()
    {
        await using var app = await StartAsync(map => map(o => o.HealthPolicy = "operators"));

        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(app, "/functions/health/live", role: null));
        Assert.Equal(HttpStatusCode.Forbidden, await GetAsync(app, "/functions/health/ready", "member"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(app, "/functions/health/ready", "operator"));
        Assert.Equal(HttpStatusCode.Accepted, await DepositAsync(app, "c", role: null));
    }

    private static async Task<App> StartAsync(Func<Func<Action<StatefulFunctionsHttpOptions>?, RouteGroupBuilder>, RouteGroupBuilder> map)
    {
        var builder = Loopback.CreateBuilder();
        builder.Services.AddStatefulFunctions(sf => sf.UseInMemoryStorage().AddModule<BankModule>());
        builder.Services.AddAuthentication(HeaderRoles.SchemeName).AddScheme<AuthenticationSchemeOptions, HeaderRoles>(HeaderRoles.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy("members", p => p.RequireRole("member"))
            .AddPolicy("senders", p => p.RequireRole("sender"))
            .AddPolicy("readers", p => p.RequireRole("reader"))
            .AddPolicy("operators", p => p.RequireRole("operator"));
        var web = builder.Build();
        web.UseAuthentication();
        web.UseAuthorization();
        map(configure => web.MapStatefulFunctions("/functions", configure));
        await web.StartAsync();
        return new App(web, new HttpClient { BaseAddress = new Uri(Loopback.AddressOf(web)) });
    }

    private static async Task<HttpStatusCode> DepositAsync(App app, string account, string? role) =>
        await PostAsync(app, $"/functions/bank/account/{account}", "application/vnd.bank.deposit-quietly+json", """{ "amount": 1 }""", role);

    private static async Task<HttpStatusCode> IngestAsync(App app, string? role) =>
        await PostAsync(app, "/functions/ingress/transfers", "application/json", """{ "from": "x", "to": "y", "amount": 1 }""", role);

    private static async Task<HttpStatusCode> PostAsync(App app, string path, string contentType, string body, string? role)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new(contentType);
        if (role is not null)
        {
            request.Headers.Add(HeaderRoles.Header, role);
        }

        using var response = await app.Http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> GetAsync(App app, string path, string? role)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (role is not null)
        {
            request.Headers.Add(HeaderRoles.Header, role);
        }

        using var response = await app.Http.SendAsync(request);
        return response.StatusCode;
    }

    private sealed record App(WebApplication Web, HttpClient Http) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await Web.StopAsync();
            await Web.DisposeAsync();
        }
    }

    /// <summary>A test authentication scheme: the caller's roles, comma-separated, in a header; no header, no identity.</summary>
    private sealed class HeaderRoles(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        public const string SchemeName = "HeaderRoles";
        public const string Header = "X-Test-Roles";

        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!Request.Headers.TryGetValue(Header, out var roles))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var claims = roles.ToString().Split(',').Select(r => new Claim(ClaimTypes.Role, r.Trim())).Append(new Claim(ClaimTypes.Name, "caller"));
            var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
        }
    }
}
