#!/bin/sh
echo "The Prisma schema engine binary is not installed here." >&2
echo "Apply migrations with 'npm run longtail -- db migrate'; author new ones with 'npm run db:diff -- NAME'." >&2
exit 1
