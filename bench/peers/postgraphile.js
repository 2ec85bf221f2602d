// PostGraphile 4.14.1 over the bench database, as issue 15 measured it: a cluster of WORKERS
// processes, no authorisation, default mutations off, no query log. Started by bench/peers.py.
const cluster = require("cluster");
const http = require("http");
const { postgraphile } = require("postgraphile");
const { makeJSONPgSmartTagsPlugin } = require("graphile-utils");

// A correction names the FINAL evaluation it corrects through a foreign key that is also unique:
// PostGraphile 4 would name both directions of that relation alike and refuse to start.
const tags = makeJSONPgSmartTagsPlugin({
  version: 1,
  config: {
    constraint: {
      fk_sakip_evaluation_corrects_id_sakip_evaluation: {
        tags: { fieldName: "corrects", foreignSingleFieldName: "correction" },
      },
    },
  },
});

const workers = Number(process.env.WORKERS || 2);
if (cluster.isPrimary) {
  for (let i = 0; i < workers; i += 1) cluster.fork();
  cluster.on("exit", () => process.exit(1));
} else {
  const middleware = postgraphile(process.env.DATABASE_URL, "public", {
    disableDefaultMutations: true,
    disableQueryLog: true,
    dynamicJson: true,
    retryOnInitFail: false,
    graphqlRoute: "/graphql",
    appendPlugins: [tags],
  });
  http.createServer(middleware).listen(Number(process.env.PORT));
}
