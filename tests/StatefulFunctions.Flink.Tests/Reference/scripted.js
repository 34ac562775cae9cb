// The function test/scripted of the differential tests (Functions.cs: Scripted), written with the official StateFun
// JavaScript SDK, as the reference for what an SDK answers. Serves it on 127.0.0.1 at the port given (0: any) and
// prints "listening <url>" once it does. Run by tests/differential-js.sh.
"use strict";
const http = require("http");
const { StateFun, messageBuilder, kafkaEgressMessage, kinesisEgressMessage } = require("apache-flink-statefun");

// StepKind in Functions.cs, in order.
const Kind = ["Send", "SendAfter", "Cancel", "SetName", "SetNote", "Increment", "Kafka", "Kinesis", "Answer"];

const statefun = new StateFun();
statefun.bind({
  typename: "test/scripted",
  specs: [
    { name: "name", type: StateFun.stringType() },
    { name: "note", type: StateFun.stringType(), expireAfterWrite: 60_000 },
    { name: "count", type: StateFun.intType() },
  ],
  fn(context, message) {
    const script = JSON.parse(message.rawValueBytes.toString("utf8"));
    const self = context.self;
    for (const step of script.steps) {
      switch (Kind[step.kind]) {
        case "Send":
          context.send(messageBuilder({ typename: "com.example/greeter", id: step.text, value: "to " + step.text }));
          break;
        case "SendAfter":
          context.sendAfter(step.delayMs, messageBuilder({ typename: "com.example/greeter", id: self.id, value: "later" }), step.token ?? undefined);
          break;
        case "Cancel":
          context.cancelDelayedMessage(step.token);
          break;
        case "SetName":
          context.storage.name = step.text;
          break;
        case "SetNote":
          context.storage.note = step.text;
          break;
        case "Increment":
          context.storage.count = (context.storage.count ?? 0) + 1;
          break;
        case "Kafka":
          context.send(kafkaEgressMessage({ typename: "com.example/kafka", topic: "scripts", key: self.id, value: step.text }));
          break;
        case "Kinesis":
          context.send(kinesisEgressMessage({ typename: "com.example/kinesis", stream: "scripts", partitionKey: self.id, value: step.text }));
          break;
        case "Answer":
          if (context.caller) {
            const caller = context.caller;
            context.send(messageBuilder({ typename: caller.namespace + "/" + caller.name, id: caller.id, value: "answer " + step.text }));
          } else {
            context.send(kafkaEgressMessage({ typename: "com.example/kafka", topic: "unanswered", key: self.id, value: step.text }));
          }
          break;
        default:
          throw new Error("unknown step kind " + step.kind);
      }
    }
  },
});

const server = http.createServer(statefun.handler());
server.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => {
  console.log(`listening http://127.0.0.1:${server.address().port}/statefun`);
});
