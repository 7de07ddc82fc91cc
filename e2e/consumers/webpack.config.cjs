// The webpack 5 consumer's configuration: an ES module build (module workers and import.meta.url need it).
const path = require('node:path');
module.exports = {
  mode: 'production',
  entry: './src/main.js',
  experiments: { outputModule: true },
  output: { path: path.resolve(__dirname, 'dist'), filename: 'main.js', module: true, clean: true, publicPath: 'auto' },
  performance: { hints: false },
};
