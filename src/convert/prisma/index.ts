export { convertPrismaText } from './convert.js';
